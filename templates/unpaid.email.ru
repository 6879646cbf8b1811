Subject: Заказ {{order.id}} не оплачен

Заказ {{order.id}} не оплачен.
Что случилось: {{problem.message}}
