*Посылка заказа {{order.id}} застряла*
{{problem.message}}
