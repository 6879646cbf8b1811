*Заказ {{order.id}} не оплачен*
{{problem.message}}
