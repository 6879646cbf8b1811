Subject: Заказ {{order.id}} требует внимания

Заказ {{order.id}} требует внимания.
Что случилось: {{problem.message}}
