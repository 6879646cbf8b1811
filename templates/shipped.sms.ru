{{shop.name}}: Ваш заказ {{order.id}} передан в службу доставки {{tracking.carrier}}. Трек-номер: {{tracking.number}} Отследить: {{tracking.url}}
