<b>Резерв заказа {{order.id}} истёк</b>
{{problem.message}}
