<?php
// osTicket plugin manifest (include/plugins/open-ticket-ai/plugin.php).
return array(
    'id' => 'open-ticket-ai:classifier',
    'version' => '1.0.0',
    'name' => 'Open Ticket AI',
    'author' => 'Open Ticket AI',
    'description' => 'Classifies new tickets with a self-hosted Open Ticket AI service (POST /predict) and sets department and priority, with an internal note.',
    'url' => 'https://github.com/open-ticket-ai',
    'plugin' => 'class.OpenTicketAIPlugin.php:OpenTicketAIPlugin',
);
