{{shop.name}}: Ваш заказ {{order.id}} ждёт вас по адресу: {{pickup.address}}. Трек-номер: {{tracking.number}}
