<?php
require_once INCLUDE_DIR . 'class.plugin.php';
require_once INCLUDE_DIR . 'class.signal.php';
require_once INCLUDE_DIR . 'class.ticket.php';
require_once INCLUDE_DIR . 'class.dept.php';
require_once INCLUDE_DIR . 'class.priority.php';
require_once INCLUDE_DIR . 'class.thread.php';
require_once 'config.php';

/**
 * osTicket's API can only create tickets, so the write-back happens inside osTicket. On ticket.create.validated, before
 * the ticket exists and before osTicket alerts its department, the plugin calls Open Ticket AI's POST /predict (or
 * /models/{name}/predict) with the subject and message and sets deptId and priorityId in the new ticket's data; on
 * ticket.created it adds the internal note. Should the first signal not have classified the ticket, ticket.created
 * classifies it and changes department and priority afterwards. A failing service never blocks ticket creation for long
 * (short connect and total timeouts) and leaves an internal note saying so.
 */
class OpenTicketAIPlugin extends Plugin
{
    var $config_class = 'OpenTicketAIConfig';

    /**
     * Called once per enabled instance with that instance's configuration side-loaded; osTicket 1.18 clears it right after
     * (include/class.plugin.php, PluginManager::bootstrap), so the settings are read here and handed to the handler.
     */
    function bootstrap()
    {
        $config = $this->getConfig();
        if (!$config) {
            return;
        }
        $settings = self::settings($config);
        $plugin = $this;
        // What ticket.create.validated decided, for the note once the ticket exists (one ticket is created at a time).
        $pending = new ArrayObject();
        // A creation that failed after validation leaves an outcome behind; the next creation starts without it.
        Signal::connect('ticket.create.before', function () use ($pending) {
            unset($pending['outcome']);
        });
        Signal::connect('ticket.create.validated', function ($unused, &$vars) use ($plugin, $settings, $pending) {
            $pending['outcome'] = $plugin->beforeCreate($vars, $settings);
        });
        Signal::connect('ticket.created', function ($ticket) use ($plugin, $settings, $pending) {
            $outcome = isset($pending['outcome']) ? $pending['outcome'] : null;
            unset($pending['outcome']);
            $plugin->onTicketCreated($ticket, $settings, $outcome);
        });
    }

    /** The instance's settings as plain values, with the defaults the form shows. */
    static function settings($config)
    {
        $minimum = trim((string) $config->get('min_confidence'));
        $timeout = trim((string) $config->get('timeout'));
        return array(
            'url' => trim((string) ($config->get('url') ?: 'http://127.0.0.1:8080')),
            'model' => trim((string) $config->get('model')),
            'api_key' => trim((string) $config->get('api_key')),
            'timeout' => is_numeric($timeout) && (float) $timeout > 0 ? (float) $timeout : 2.0,
            'departments' => self::parseMapping($config->get('departments')),
            'priorities' => self::parseMapping($config->get('priorities')),
            'min_confidence' => is_numeric($minimum) ? max(0.0, min(1.0, (float) $minimum)) : 0.5,
            'review_department' => trim((string) $config->get('review_department')),
            'add_note' => self::choice($config->get('note'), '1') === '1',
            'answers' => self::choice($config->get('answers'), '0'),
        );
    }

    /**
     * Classifies the new ticket's data before osTicket creates it and sets deptId and priorityId there, so osTicket's own
     * new-ticket alert goes to the department the ticket ends up in. Never throws: a failure is kept for the note.
     */
    function beforeCreate(&$vars, $settings)
    {
        try {
            $message = isset($vars['message']) ? $vars['message'] : '';
            $html = is_object($message) && method_exists($message, 'getType') && $message->getType() == 'html';
            $body = is_object($message) && method_exists($message, 'getClean') ? (string) $message->getClean() : (string) $message;
            $prediction = $this->predict($settings, isset($vars['subject']) ? (string) $vars['subject'] : '', $html ? Format::html2text($body) : $body, '');
            $decision = $this->decide($prediction, $settings);
            $applied = array();
            if ($decision['dept']) {
                $vars['deptId'] = $decision['dept'][0];
                $applied[] = 'department ' . $decision['dept'][1] . ($decision['review'] ? ' (for review)' : '');
            }
            if ($decision['priority']) {
                $vars['priorityId'] = $decision['priority']->getId();
                $applied[] = 'priority ' . $decision['priority']->getDesc();
            }
            return array('prediction' => $prediction, 'applied' => $applied, 'error' => null);
        } catch (Exception $e) {
            return array('prediction' => null, 'applied' => array(), 'error' => $e->getMessage());
        }
    }

    function onTicketCreated($ticket, $settings, $outcome = null)
    {
        try {
            if ($outcome === null) {
                $outcome = $this->classify($ticket, $settings);
            }
            if ($outcome['error'] !== null) {
                throw new Exception($outcome['error']);
            }
            if ($settings['add_note']) {
                $this->note($ticket, self::noteLines($outcome['prediction'], $outcome['applied']));
            }
        } catch (Exception $e) {
            $this->log('Open Ticket AI: ticket #' . $ticket->getNumber() . ' not classified: ' . $e->getMessage());
            $this->note($ticket, array(
                'Open Ticket AI could not classify this ticket; nothing was changed. Route it by hand.',
                'Reason: ' . $e->getMessage(),
            ));
        }
        $this->addAnswerNotes($ticket, $settings);
    }

    /**
     * The opted-in suggested reply (POST /suggest) and summary (POST /summarize) as internal notes, never as a reply to the
     * user. The service abstaining (needsReview, or a message with no more sentences than the summary) writes nothing; a
     * failure is logged, never noted, since the ticket needs nothing from the agent because of it.
     */
    function addAnswerNotes($ticket, $settings)
    {
        $mode = $settings['answers'];
        if ($mode !== 'reply' && $mode !== 'summary' && $mode !== 'both') {
            return;
        }
        $message = $ticket->getThread() ? $ticket->getThread()->getEntries()->filter(array('type' => 'M'))->first() : null;
        $text = array('subject' => (string) $ticket->getSubject(), 'body' => $message ? Format::html2text((string) $message->getBody()) : '');
        try {
            if ($mode !== 'summary') {
                $suggestion = $this->call($settings, '/suggest', $text);
                if (empty($suggestion['needsReview']) && isset($suggestion['draft']) && is_string($suggestion['draft']) && trim($suggestion['draft']) !== '') {
                    $this->note($ticket, self::replyLines($suggestion));
                }
            }
            if ($mode !== 'reply' && trim($text['body']) !== '') {
                $summary = $this->call($settings, '/summarize', $text);
                // The answer's "summary" holds the chosen sentences, "sentences" how many the message had.
                if (isset($summary['summary'], $summary['sentences']) && is_array($summary['summary'])
                    && (int) $summary['sentences'] > count($summary['summary'])) {
                    $this->note($ticket, self::summaryLines($summary));
                }
            }
        } catch (Exception $e) {
            $this->log('Open Ticket AI: ticket #' . $ticket->getNumber() . ': no suggested reply or summary: ' . $e->getMessage());
        }
    }

    /** The same wording as the service's own notes for the other help desks. */
    static function replyLines($suggestion)
    {
        $lines = array(sprintf('Suggested reply (Open Ticket AI draft, not sent to the customer; confidence %.2f):', (float) $suggestion['confidence']), '', trim($suggestion['draft']));
        $sources = array();
        foreach (array_slice(isset($suggestion['sources']) && is_array($suggestion['sources']) ? $suggestion['sources'] : array(), 0, 3) as $source) {
            $what = isset($source['kind']) && strtolower((string) $source['kind']) === 'articles' ? 'article' : 'past ticket';
            $title = isset($source['title']) && $source['title'] !== '' ? ' "' . $source['title'] . '"' : '';
            $reference = isset($source['reference']) && $source['reference'] !== '' && $source['reference'] !== $source['id'] ? ' ' . $source['reference'] : '';
            $sources[] = $what . ' ' . $source['id'] . $title . $reference . sprintf(' (%.2f)', (float) $source['confidence']);
        }
        if ($sources) {
            $lines[] = '';
            $lines[] = 'Sources: ' . implode('; ', $sources);
        }
        return $lines;
    }

    static function summaryLines($summary)
    {
        $lines = array('Summary (Open Ticket AI, ' . count($summary['summary']) . ' of ' . (int) $summary['sentences'] . ' sentences):');
        foreach ($summary['summary'] as $sentence) {
            $lines[] = '- ' . trim((string) $sentence);
        }
        $facts = array();
        $kinds = array('orderNumbers' => 'order', 'invoiceNumbers' => 'invoice', 'dates' => 'date', 'versions' => 'version', 'errorCodes' => 'error');
        foreach ($kinds as $key => $kind) {
            if (isset($summary['facts'][$key]) && is_array($summary['facts'][$key])) {
                foreach ($summary['facts'][$key] as $value) {
                    $facts[] = $kind . ' ' . $value;
                }
            }
        }
        if ($facts) {
            $lines[] = 'Key facts: ' . implode('; ', $facts);
        }
        return $lines;
    }

    /** The department (id, name) and priority the prediction maps to, each null when unsure or unmapped. */
    private function decide($prediction, $settings)
    {
        $minimum = $settings['min_confidence'];
        $queue = $this->label($prediction, 'queue', $minimum);
        $departments = $settings['departments'];
        $deptName = null;
        if ($queue !== null && isset($departments[strtolower($queue)])) {
            $deptName = $departments[strtolower($queue)];
        } elseif ($queue === null && $settings['review_department'] !== '' && isset($prediction['predictions']['queue'])) {
            $deptName = $settings['review_department'];
        }
        $dept = null;
        if ($deptName !== null) {
            $deptId = Dept::getIdByName($deptName);
            if ($deptId) {
                $dept = array($deptId, $deptName);
            } else {
                $this->log('Open Ticket AI: no department named "' . $deptName . '"');
            }
        }

        $priority = null;
        $label = $this->label($prediction, 'priority', $minimum);
        if ($label !== null && isset($settings['priorities'][strtolower($label)])) {
            $priority = Priority::lookup((int) $settings['priorities'][strtolower($label)]);
            if (!$priority) {
                $this->log('Open Ticket AI: no priority with id ' . $settings['priorities'][strtolower($label)]);
            }
        }
        return array('dept' => $dept, 'priority' => $priority ?: null, 'review' => $queue === null);
    }

    /** The fallback when ticket.create.validated did not run: classify the created ticket and change it. */
    private function classify($ticket, $settings)
    {
        $message = $ticket->getThread() ? $ticket->getThread()->getEntries()->filter(array('type' => 'M'))->first() : null;
        $body = $message ? Format::html2text((string) $message->getBody()) : '';
        $prediction = $this->predict($settings, $ticket->getSubject(), $body, (string) $ticket->getNumber());
        $decision = $this->decide($prediction, $settings);
        $applied = array();
        if ($decision['dept'] && $decision['dept'][0] != $ticket->getDeptId()) {
            $ticket->setDeptId($decision['dept'][0]);
            $applied[] = 'department ' . $decision['dept'][1] . ($decision['review'] ? ' (for review)' : '');
        }
        if ($decision['priority'] && $this->setPriority($ticket, $decision['priority'])) {
            $applied[] = 'priority ' . $decision['priority']->getDesc();
        }
        return array('prediction' => $prediction, 'applied' => $applied, 'error' => null);
    }

    /** The note: the model (name and version, as /predict answers it), one line per head with its confidence, and what was applied. */
    static function noteLines($prediction, $applied)
    {
        $model = isset($prediction['model']) ? $prediction['model'] : null;
        $name = is_array($model)
            ? trim((isset($model['name']) ? $model['name'] : '?') . ' ' . (isset($model['version']) ? $model['version'] : ''))
            : ($model !== null ? (string) $model : '?');
        $lines = array('Open Ticket AI (model ' . $name . '):');
        foreach ($prediction['predictions'] as $head => $value) {
            $confidence = isset($prediction['confidence'][$head]) && !is_array($prediction['confidence'][$head])
                ? sprintf('%.2f', $prediction['confidence'][$head]) : '';
            $review = !empty($prediction['needsReview'][$head]) ? ' (needs review)' : '';
            $lines[] = $head . ': ' . (is_array($value) ? implode(', ', $value) : $value) . ($confidence !== '' ? ' ' . $confidence : '') . $review;
        }
        $lines[] = 'Applied: ' . ($applied ? implode(', ', $applied) : 'nothing');
        return $lines;
    }

    /** An internal note as plain text, so its line breaks stay (logNote takes a bare string as HTML). */
    private function note($ticket, $lines)
    {
        $ticket->logNote('Open Ticket AI', new TextThreadEntryBody(implode("\n", $lines)), 'SYSTEM', false);
    }

    /** The head's label when the model is sure enough; null otherwise. */
    private function label($prediction, $head, $minimum)
    {
        if (!isset($prediction['predictions'][$head]) || is_array($prediction['predictions'][$head])) {
            return null;
        }
        if (!empty($prediction['needsReview'][$head])) {
            return null;
        }
        if (isset($prediction['confidence'][$head]) && $prediction['confidence'][$head] < $minimum) {
            return null;
        }
        return (string) $prediction['predictions'][$head];
    }

    /** Sets the priority through the ticket's details form (where osTicket keeps it since 1.8). */
    private function setPriority($ticket, $priority)
    {
        foreach (DynamicFormEntry::forTicket($ticket->getId()) as $entry) {
            if ($entry->getField('priority')) {
                $entry->setAnswer('priority', $priority->getDesc(), $priority->getId());
                $entry->save();
                if (method_exists($ticket, 'updateEstDueDate')) {
                    $ticket->updateEstDueDate();
                }
                return true;
            }
        }
        return false;
    }

    /** POST /predict, or /models/{name}/predict when a model is set, on the service at the configured address. */
    static function endpoint($settings)
    {
        $base = rtrim(preg_replace('#/predict/?$#', '', $settings['url']), '/');
        return $settings['model'] !== ''
            ? $base . '/models/' . rawurlencode($settings['model']) . '/predict'
            : $base . '/predict';
    }

    private function predict($settings, $subject, $body, $id)
    {
        $prediction = $this->post($settings, self::endpoint($settings), array('subject' => (string) $subject, 'body' => (string) $body, 'id' => $id));
        if (!isset($prediction['predictions']) || !is_array($prediction['predictions'])) {
            throw new Exception('the service answered without predictions: ' . substr(json_encode($prediction), 0, 300));
        }
        return $prediction;
    }

    /** POST to a path of the service (/suggest, /summarize) at the configured address. */
    private function call($settings, $path, $payload)
    {
        return $this->post($settings, rtrim(preg_replace('#/predict/?$#', '', $settings['url']), '/') . $path, $payload);
    }

    /** POSTs JSON with the key and timeouts; the decoded answer, or an exception naming the URL and the failure. */
    private function post($settings, $url, $fields)
    {
        $payload = json_encode($fields);
        $headers = array('Content-Type: application/json', 'Accept: application/json');
        if ($settings['api_key'] !== '') {
            $headers[] = 'X-Api-Key: ' . $settings['api_key'];
        }
        $timeoutMs = (int) round($settings['timeout'] * 1000);
        $started = microtime(true);
        $curl = curl_init($url);
        curl_setopt_array($curl, array(
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $payload,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_NOSIGNAL => true,
            CURLOPT_CONNECTTIMEOUT_MS => min(1000, $timeoutMs),
            CURLOPT_TIMEOUT_MS => $timeoutMs,
        ));
        $response = curl_exec($curl);
        $status = curl_getinfo($curl, CURLINFO_HTTP_CODE);
        $error = curl_error($curl);
        curl_close($curl);
        if ($response === false || $status != 200) {
            throw new Exception('POST ' . $url . sprintf(' failed after %.2f s: ', microtime(true) - $started)
                . ($error ?: 'HTTP ' . $status . ' ' . substr((string) $response, 0, 300)));
        }
        $answer = json_decode($response, true);
        if (!is_array($answer)) {
            throw new Exception('POST ' . $url . ' answered with something that is not a JSON object: ' . substr((string) $response, 0, 300));
        }
        return $answer;
    }

    /** "label = value" lines to a lower-case label => value map. */
    static function parseMapping($text)
    {
        $map = array();
        foreach (preg_split('/\r?\n/', (string) $text) as $line) {
            $parts = explode('=', $line, 2);
            if (count($parts) == 2 && trim($parts[0]) !== '' && trim($parts[1]) !== '') {
                $map[strtolower(trim($parts[0]))] = trim($parts[1]);
            }
        }
        return $map;
    }

    /** The key of a ChoiceField's value (stored as {"key": "label"}), or the default when unset. */
    static function choice($value, $default)
    {
        if (is_array($value)) {
            $keys = array_keys($value);
            return $keys ? (string) $keys[0] : $default;
        }
        return $value === null || $value === '' ? $default : (string) $value;
    }

    private function log($message)
    {
        global $ost;
        if ($ost) {
            $ost->logWarning('Open Ticket AI', $message, false);
        } else {
            error_log($message);
        }
    }
}
