<b>Заказ {{order.id}} оплачен не полностью</b>
{{problem.message}}
