*Резерв заказа {{order.id}} истёк*
{{problem.message}}
