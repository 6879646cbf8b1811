Subject: Заказ {{order.id}}: курьер не смог доставить

Здравствуйте, {{customer.name}}!

Курьер не смог доставить ваш заказ {{order.id}} сегодня. Договоритесь о новой доставке по трек-номеру {{tracking.number}}: {{tracking.url}}

-- 
{{shop.name}}
