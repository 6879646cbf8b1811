<b>Оплата заказа {{order.id}} получена</b>

Мы получили оплату {{totals.total | money}} за заказ <b>{{order.id}}</b>. Спасибо!
