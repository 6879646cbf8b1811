{{shop.name}}: Мы приняли ваш заказ {{order.id}} на сумму {{totals.total | money}} и готовим его к отправке.
