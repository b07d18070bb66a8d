<?php
require_once INCLUDE_DIR . 'class.plugin.php';
require_once INCLUDE_DIR . 'class.signal.php';
require_once INCLUDE_DIR . 'class.ticket.php';
require_once INCLUDE_DIR . 'class.dept.php';
require_once INCLUDE_DIR . 'class.priority.php';
require_once 'config.php';

/**
 * osTicket's API can only create tickets, so the write-back happens inside osTicket: on the ticket.created signal the
 * plugin calls Open Ticket AI's POST /predict with the subject and first message, then sets the department and priority
 * with osTicket's own objects and adds an internal note. A failing service never blocks ticket creation.
 */
class OpenTicketAIPlugin extends Plugin
{
    var $config_class = 'OpenTicketAIConfig';

    function bootstrap()
    {
        Signal::connect('ticket.created', array($this, 'onTicketCreated'));
    }

    function onTicketCreated($ticket)
    {
        try {
            $this->classify($ticket);
        } catch (Exception $e) {
            $this->log('Open Ticket AI: ticket #' . $ticket->getNumber() . ' not classified: ' . $e->getMessage());
        }
    }

    private function classify($ticket)
    {
        $config = $this->getConfig();
        $message = $ticket->getThread() ? $ticket->getThread()->getEntries()->filter(array('type' => 'M'))->first() : null;
        $body = $message ? Format::html2text((string) $message->getBody()) : '';
        $prediction = $this->predict($config, $ticket->getSubject(), $body, (string) $ticket->getNumber());
        if (!$prediction) {
            return;
        }

        $minimum = (float) ($config->get('min_confidence') ?: 0.5);
        $applied = array();

        $queue = $this->label($prediction, 'queue', $minimum);
        $departments = self::parseMapping($config->get('departments'));
        $deptName = null;
        if ($queue !== null && isset($departments[strtolower($queue)])) {
            $deptName = $departments[strtolower($queue)];
        } elseif ($queue === null && $config->get('review_department') && isset($prediction['predictions']['queue'])) {
            $deptName = trim($config->get('review_department'));
        }

        if ($deptName !== null) {
            $deptId = Dept::getIdByName($deptName);
            if ($deptId && $deptId != $ticket->getDeptId()) {
                $ticket->setDeptId($deptId);
                $applied[] = 'department ' . $deptName;
            } elseif (!$deptId) {
                $this->log('Open Ticket AI: no department named "' . $deptName . '"');
            }
        }

        $priority = $this->label($prediction, 'priority', $minimum);
        $priorities = self::parseMapping($config->get('priorities'));
        if ($priority !== null && isset($priorities[strtolower($priority)])) {
            $priorityId = (int) $priorities[strtolower($priority)];
            if ($priorityId > 0 && $this->setPriority($ticket, $priorityId)) {
                $applied[] = 'priority ' . $priorityId;
            }
        }

        if ($config->get('add_note')) {
            $lines = array();
            foreach ($prediction['predictions'] as $head => $value) {
                $confidence = isset($prediction['confidence'][$head]) ? sprintf('%.2f', $prediction['confidence'][$head]) : '?';
                $review = !empty($prediction['needsReview'][$head]) ? ' (needs review)' : '';
                $lines[] = $head . ': ' . (is_array($value) ? implode(', ', $value) : $value) . ' ' . $confidence . $review;
            }
            $lines[] = 'Applied: ' . ($applied ? implode(', ', $applied) : 'nothing');
            $ticket->logNote('Open Ticket AI', implode("\n", $lines), 'SYSTEM', false);
        }
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
    private function setPriority($ticket, $priorityId)
    {
        $priority = Priority::lookup($priorityId);
        if (!$priority) {
            $this->log('Open Ticket AI: no priority with id ' . $priorityId);
            return false;
        }
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

    private function predict($config, $subject, $body, $id)
    {
        $payload = json_encode(array('subject' => (string) $subject, 'body' => (string) $body, 'id' => $id));
        $headers = array('Content-Type: application/json', 'Accept: application/json');
        if ($config->get('api_key')) {
            $headers[] = 'X-Api-Key: ' . $config->get('api_key');
        }
        $curl = curl_init($config->get('url'));
        curl_setopt_array($curl, array(
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $payload,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => max(1, (int) ($config->get('timeout') ?: 5)),
        ));
        $response = curl_exec($curl);
        $status = curl_getinfo($curl, CURLINFO_HTTP_CODE);
        $error = curl_error($curl);
        curl_close($curl);
        if ($response === false || $status != 200) {
            throw new Exception('POST /predict failed: ' . ($error ?: 'HTTP ' . $status . ' ' . substr((string) $response, 0, 300)));
        }
        $prediction = json_decode($response, true);
        return is_array($prediction) && isset($prediction['predictions']) ? $prediction : null;
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
