Subject: Оплата заказа {{order.id}} получена

Здравствуйте, {{customer.name}}!

Мы получили оплату {{totals.total | money}} за заказ {{order.id}}. Спасибо!

-- 
{{shop.name}}
