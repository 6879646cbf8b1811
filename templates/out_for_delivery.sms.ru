{{shop.name}}: Курьер доставит ваш заказ {{order.id}} сегодня (трек-номер {{tracking.number}}).
