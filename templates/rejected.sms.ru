Заказ {{order.id}} требует внимания: {{problem.message}}
