<b>Заказ {{order.id}} отправлен</b>

Ваш заказ <b>{{order.id}}</b> передан в службу доставки {{tracking.carrier}}.
Трек-номер: {{tracking.number}}
Отследить: {{tracking.url}}
