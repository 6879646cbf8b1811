<b>Заказ {{order.id}} ждёт вас в пункте выдачи</b>

Ваш заказ <b>{{order.id}}</b> ждёт вас по адресу: {{pickup.address}}.
Трек-номер: {{tracking.number}}
