Subject: Посылка заказа {{order.id}} застряла

Посылка заказа {{order.id}} застряла.
Что случилось: {{problem.message}}
