{{shop.name}}: Мы получили оплату {{totals.total | money}} за заказ {{order.id}}. Спасибо!
