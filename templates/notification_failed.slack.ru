*Сообщение по заказу {{order.id}} не доставлено*
{{problem.message}}
