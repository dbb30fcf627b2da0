// What `steward --help` prints. Kept apart from the commands so that help and an unknown command load nothing else.
import { STEWARD_VERSION } from '../../shared/version.js';

export const USAGE = `steward ${STEWARD_VERSION} — a host for MCP servers, under your control

Usage:
  steward servers [list]                     servers, status, sandbox, memory
  steward servers show NAME
  steward servers add NAME -- COMMAND [ARG...] [--env K=V] [--cwd DIR] [--allow-write DIR]
                       [--allow-read HIDDEN-DIR] [--allow-domain DOMAIN] [--no-sandbox] [--lazy] [--idle-stop MIN]
                       [--era auto|legacy|modern]
  steward servers add NAME --command-line 'FOO=bar npx -y pkg --flag' [options as above]
                                             the line is read without a shell; pipes, $VARS, globs… are refused
  steward servers add NAME --url URL [--header K=V] [--era auto|legacy|modern]
  steward servers edit NAME [--name NEW] [--cwd DIR] [--env K=V]... [--unset-env K]... [-- COMMAND [ARG...]]
  steward servers edit NAME [--name NEW] [--url URL] [--header K=V]... [--unset-header K]...
                                             values not named are kept; a changed launch asks consent again
                                             (a running server keeps its earlier launch until then)
  steward servers clone NAME NEW-NAME        a copy with its own consent
  steward servers export [NAME] [--out FILE] mcp.json (mcpServers) for other hosts; secrets become placeholders
  steward servers era NAME auto|legacy|modern
                                             the MCP era to speak (auto: 2026-07-28 when offered, else 2025-11-25)
  steward servers import FILE                Claude Desktop, VS Code or Cursor config
  steward servers remove NAME [--yes]        asks first on a terminal
  steward servers start NAME [--check]       runs it in the foreground (--check: start, list tools, stop)
  steward servers stop NAME                  stops it, also when another Steward process runs it
  steward servers logs NAME [--limit N] [-f]
  steward servers grant|revoke NAME [--allow-domain DOMAIN] [--allow-write DIR] [--allow-read HIDDEN-DIR]
                                             change what it may reach; the changed launch needs consent again
  steward servers upgrade NAME               pin the newest versions its command allows (asks consent again)
  steward consent show|approve|deny NAME [--yes] [--hash HASH]
  steward install FILE.mcpb [--name NAME] [--config KEY=VALUE]... [--yes]
                                             shows the bundle, installs (or updates) it, then asks consent to run it
  steward bundles [list] | enable|disable|uninstall NAME
  steward tools NAME
  steward call NAME TOOL [--args JSON] [--timeout SECONDS] [--task]
                                             --task: run it as a task (tools that require one always are)
  steward calls NAME [--tool TOOL] [--limit N]   the server's call history, newest first
  steward prompts NAME [--cursor C]         a page of prompts (--cursor: the next page, as printed)
  steward prompt NAME PROMPT [--arg K=V]...  the prompt's messages with its arguments filled in
  steward resources NAME [--templates] [--cursor C]
  steward read NAME URI [--out FILE]         a resource's contents (--out: saved as they are, binary too)
  steward complete NAME (--prompt P | --template URI-TEMPLATE) ARG [VALUE] [--context K=V]...
                                             the server's suggestions for an argument
  steward watch NAME URI                     subscribes and prints each update, until Ctrl+C
  steward log-level NAME LEVEL               the least severe log message the server should send
  steward tasks [list] [--status S] [--server NAME] [--limit N]
  steward tasks show|result|cancel ID       a task's history, its result (whole, in pages), cancel it
                                             (a task another Steward process follows is cancelled by it)
  steward inbox [list]                       questions waiting for an answer, in every Steward process
  steward inbox approve|deny ID [--content JSON] [--yes]
                                             answer one (the process that asked carries it out); approve
                                             shows what it approves and asks, or needs --yes off a terminal
  steward audit [--limit N] [--server NAME] [--export]   --export: every entry as JSON lines
  steward models [show] | key [--remove] | set [--default MODEL] [--enable MODEL]... [--base-url URL]
                                             the key is read from stdin: steward models key < key.txt
  steward sampling policy NAME [--mode ask|allow|deny] [--review|--no-review] [--tools|--no-tools]
                       [--max-tokens N] [--tokens-per-day N] [--rpm N] [--rounds N]
  steward serve [--port N] [--no-open]       the app in your browser (browser mode), until Ctrl+C

Options: --json prints {"ok":true,"data":...} or {"ok":false,"code":...,"message":...}.
Exit codes: 0 ok, 1 failed, 2 usage, 3 consent needed or refused, 4 not found, 5 the tool reported an error,
  130 interrupted (Ctrl+C cancels a running call at the server; a second Ctrl+C within 2 s stops at once).
Data folder: $STEWARD_HOME, else the per-user app-data folder.`;
