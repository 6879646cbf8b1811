Subject: Возврат {{return.rma}} по заказу {{order.id}}

Здравствуйте, {{customer.name}}!

Мы оформили возврат {{return.rma}} по заказу {{order.id}}. Упакуйте товары, напишите на посылке {{return.rma}} и отправьте её нам.

-- 
{{shop.name}}
