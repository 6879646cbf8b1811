<b>Неясно, оформлена ли доставка заказа {{order.id}}</b>
{{problem.message}}
