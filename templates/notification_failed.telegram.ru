<b>Сообщение по заказу {{order.id}} не доставлено</b>
{{problem.message}}
