Subject: Резерв заказа {{order.id}} истёк

Резерв заказа {{order.id}} истёк.
Что случилось: {{problem.message}}
