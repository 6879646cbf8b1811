<b>Посылка заказа {{order.id}} застряла</b>
{{problem.message}}
