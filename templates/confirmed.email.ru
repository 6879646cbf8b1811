Subject: Заказ {{order.id}} подтверждён

Здравствуйте, {{customer.name}}!

Мы приняли ваш заказ {{order.id}} на сумму {{totals.total | money}} и готовим его к отправке.

-- 
{{shop.name}}
