Subject: Заказ {{order.id}} приедет сегодня

Здравствуйте, {{customer.name}}!

Курьер доставит ваш заказ {{order.id}} сегодня (трек-номер {{tracking.number}}).

-- 
{{shop.name}}
