Заказ {{order.id}} оплачен не полностью: {{problem.message}}
