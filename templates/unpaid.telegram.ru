<b>Заказ {{order.id}} не оплачен</b>
{{problem.message}}
