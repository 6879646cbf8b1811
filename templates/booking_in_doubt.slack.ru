*Неясно, оформлена ли доставка заказа {{order.id}}*
{{problem.message}}
