Subject: Заказ {{order.id}} доставлен

Здравствуйте, {{customer.name}}!

Ваш заказ {{order.id}} доставлен. Спасибо, что выбрали {{shop.name}}!

-- 
{{shop.name}}
