Subject: Заказ {{order.id}} оплачен не полностью

Заказ {{order.id}} оплачен не полностью.
Что случилось: {{problem.message}}
