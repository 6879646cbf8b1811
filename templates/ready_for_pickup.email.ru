Subject: Заказ {{order.id}} ждёт вас в пункте выдачи

Здравствуйте, {{customer.name}}!

Ваш заказ {{order.id}} ждёт вас по адресу: {{pickup.address}}.
Трек-номер: {{tracking.number}}

-- 
{{shop.name}}
