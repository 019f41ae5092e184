<?php
// PHP's SoapClient on Dossier's LogicalDOC WSDL: login, listTemplates, storeTemplate, getTemplate(ById),
// grantUserToTemplate, getGrantedUsers and a fault. Usage: php php_client.php BASE USER PASSWORD OTHER_USER_ID OWN_USER_ID
[$self, $base, $username, $password, $other] = $argv;
$options = ['trace' => 1, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE];
$auth = new SoapClient($base . '/logicaldoc/services/Auth?wsdl', $options);
$sid = $auth->login(['username' => $username, 'password' => $password])->return;
$md = new SoapClient($base . '/logicaldoc/services/DocumentMetadata?wsdl', $options);
$name = 'php-' . bin2hex(random_bytes(4));
$id = $md->storeTemplate(['sid' => $sid, 'template' => ['id' => 0, 'name' => $name, 'description' => 'from php',
    'attributes' => [['name' => 'party', 'type' => 0, 'mandatory' => 1, 'hidden' => 0, 'editor' => 0, 'multiple' => 0]]]])->templateId;
$byId = $md->getTemplateById(['sid' => $sid, 'templateId' => $id])->template;
if ($byId->name !== $name || $byId->attributes->name !== 'party') { fwrite(STDERR, "getTemplateById: " . print_r($byId, true)); exit(1); }
$byName = $md->getTemplate(['sid' => $sid, 'name' => $name])->template;
if ((string) $byName->id !== (string) $id) { fwrite(STDERR, "getTemplate\n"); exit(1); }
$list = $md->listTemplates(['sid' => $sid]);
$found = false;
foreach ((is_array($list->template) ? $list->template : [$list->template]) as $t) { if ((string) $t->id === (string) $id) { $found = true; } }
if (!$found) { fwrite(STDERR, "listTemplates\n"); exit(1); }
// once a template has grants only they count: the caller keeps every permission, the other user gets example A's mask
$md->grantUserToTemplate(['sid' => $sid, 'templateId' => $id, 'userId' => (int) $argv[5], 'permissions' => 2097151]);
$md->grantUserToTemplate(['sid' => $sid, 'templateId' => $id, 'userId' => (int) $other, 'permissions' => 2215]);
$rights = $md->getGrantedUsers(['sid' => $sid, 'templateId' => $id])->return;
$rights = is_array($rights) ? $rights : [$rights];
if ((string) $rights[1]->permissions !== '2215') { fwrite(STDERR, "getGrantedUsers " . print_r($rights, true)); exit(1); }
try {
    $md->listTemplates(['sid' => 'no-such-session']);
    fwrite(STDERR, "no fault\n"); exit(1);
} catch (SoapFault $fault) {
    if ($fault->getMessage() !== 'Invalid session no-such-session') { fwrite(STDERR, "fault: " . $fault->getMessage() . "\n"); exit(1); }
}
try {
    $md->grantUserToTemplate(['sid' => $sid, 'templateId' => $id, 'userId' => (int) $other, 'permissions' => -1]);
    fwrite(STDERR, "no fault for bad input\n"); exit(1);
} catch (SoapFault $fault) {
    if ($fault->faultcode !== 'soap:Client' && $fault->faultcode !== 'Client') { fwrite(STDERR, "bad input fault: " . $fault->faultcode . "\n"); exit(1); }
}
echo "OK\n";
