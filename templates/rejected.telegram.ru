<b>Заказ {{order.id}} требует внимания</b>
{{problem.message}}
