<?php
require_once INCLUDE_DIR . 'class.plugin.php';
require_once INCLUDE_DIR . 'class.forms.php';

/**
 * Admin Panel -> Manage -> Plugins -> Open Ticket AI -> Config (or the instance's config in osTicket 1.17+).
 * Mappings are one "label = value" per line; labels are the model's, compared case-insensitively.
 */
class OpenTicketAIConfig extends PluginConfig
{
    function getOptions()
    {
        return array(
            'service' => new SectionBreakField(array('label' => 'Open Ticket AI service')),
            'url' => new TextboxField(array(
                'label' => 'Predict URL',
                'required' => true,
                'default' => 'http://localhost:8080/predict',
                'configuration' => array('size' => 60, 'length' => 255),
                'hint' => 'The service\'s POST /predict endpoint; add ?model=<name> for another model than the default.',
            )),
            'api_key' => new TextboxField(array(
                'label' => 'API key (optional)',
                'required' => false,
                'configuration' => array('size' => 60, 'length' => 255),
                'hint' => 'Sent as X-Api-Key when the service sits behind a proxy that checks one.',
            )),
            'timeout' => new TextboxField(array(
                'label' => 'Timeout (seconds)',
                'default' => '5',
                'configuration' => array('size' => 5, 'length' => 3),
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
                'hint' => 'Labels below this confidence, or flagged needsReview by the model, are not applied (only noted).',
            )),
            'review_department' => new TextboxField(array(
                'label' => 'Review department (optional)',
                'required' => false,
                'configuration' => array('size' => 40, 'length' => 128),
                'hint' => 'Tickets whose queue is unsure go here, for a person to route.',
            )),
            'add_note' => new BooleanField(array(
                'label' => 'Internal note',
                'default' => true,
                'configuration' => array('desc' => 'Add an internal note with the predictions and what was applied'),
            )),
        );
    }
}
