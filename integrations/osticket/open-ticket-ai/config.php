<?php
require_once INCLUDE_DIR . 'class.plugin.php';
require_once INCLUDE_DIR . 'class.forms.php';

/**
 * Admin Panel -> Manage -> Plugins -> Open Ticket AI -> Instances -> (instance) -> Config. In osTicket 1.18 both the plugin
 * and the instance must be enabled. Mappings are one "label = value" per line; labels are the model's, compared
 * case-insensitively. Hints are printed as HTML by osTicket, so they contain no angle brackets.
 */
class OpenTicketAIConfig extends PluginConfig
{
    function getOptions()
    {
        return array(
            'service' => new SectionBreakField(array('label' => 'Open Ticket AI service')),
            'url' => new TextboxField(array(
                'label' => 'Service address',
                'required' => true,
                'default' => 'http://127.0.0.1:8080',
                'configuration' => array('size' => 60, 'length' => 255),
                'hint' => 'Base address of the Open Ticket AI service, e.g. http://127.0.0.1:8080; tickets are sent to POST /predict there.',
            )),
            'model' => new TextboxField(array(
                'label' => 'Model (optional)',
                'required' => false,
                'configuration' => array('size' => 40, 'length' => 128),
                'hint' => 'Name of a model in the service\'s model store; tickets then go to POST /models/NAME/predict. Empty: the service\'s default model.',
            )),
            'api_key' => new TextboxField(array(
                'label' => 'API key',
                'required' => false,
                'configuration' => array('size' => 60, 'length' => 255),
                'hint' => 'Required when the service runs in Production (every environment but Development): a key with the predict scope (otai apikey new), sent as X-Api-Key.',
            )),
            'timeout' => new TextboxField(array(
                'label' => 'Timeout (seconds)',
                'default' => '2',
                'configuration' => array('size' => 5, 'length' => 4),
                'hint' => 'Longest wait for an answer; ticket creation waits this long at most when the service hangs (connecting is given 1 second).',
            )),
            'mapping' => new SectionBreakField(array('label' => 'Mapping')),
            'departments' => new TextareaField(array(
                'label' => 'Queue label = department name',
                'required' => false,
                'default' => "Billing and Payments = Billing\nTechnical Support = Support",
                'configuration' => array('rows' => 6, 'cols' => 60, 'html' => false),
                'hint' => 'A queue label without a line here leaves the department as it is.',
            )),
            'priorities' => new TextareaField(array(
                'label' => 'Priority label = osTicket priority id',
                'required' => false,
                'default' => "low = 1\nmedium = 2\nhigh = 3\nurgent = 4",
                'configuration' => array('rows' => 5, 'cols' => 60, 'html' => false),
                'hint' => 'osTicket priorities: 1 low, 2 normal, 3 high, 4 emergency.',
            )),
            'min_confidence' => new TextboxField(array(
                'label' => 'Minimum confidence',
                'default' => '0.5',
                'configuration' => array('size' => 5, 'length' => 5),
                'hint' => 'From 0 to 1. Labels below this confidence, or flagged needsReview by the model, are not applied (only noted); 0 applies every label the model does not flag.',
            )),
            'review_department' => new TextboxField(array(
                'label' => 'Review department (optional)',
                'required' => false,
                'configuration' => array('size' => 40, 'length' => 128),
                'hint' => 'Tickets whose queue is unsure go here, for a person to route.',
            )),
            // A select always posts its value; a checkbox posts nothing when the instance is first saved, which stored "off".
            'note' => new ChoiceField(array(
                'label' => 'Internal note',
                'required' => true,
                'default' => '1',
                'choices' => array(
                    '1' => 'Add an internal note with the predictions and what was applied',
                    '0' => 'No note (failures are still noted)',
                ),
            )),
            'answers' => new ChoiceField(array(
                'label' => 'Suggested reply and summary',
                'required' => true,
                'default' => '0',
                'choices' => array(
                    '0' => 'None',
                    'reply' => 'Internal note with a suggested reply (POST /suggest)',
                    'summary' => 'Internal note with a summary of the message (POST /summarize)',
                    'both' => 'Both notes',
                ),
                'hint' => 'Drafts come from the service\'s knowledge collections (otai index) and are only ever internal notes, never sent to the user. No note when the service finds nothing close enough, or the message is too short to summarise. Each call waits at most the timeout.',
            )),
        );
    }
}
