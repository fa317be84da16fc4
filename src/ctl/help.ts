/** The `op-conductor ctl --help` text. */
export const helpText = `op-conductor ctl — operate a whole op-conductor cluster

Usage: op-conductor ctl <command> [network] [args] [flags]
       (also installed as op-conductor-ctl)

Cluster (one of):
  -c, --config FILE          op-conductor-ops config.toml (env CONDUCTOR_CONFIG, default ./config.toml)
      --network NAME         network in the config (or give it as the first argument, as op-conductor-ops does)
      --conductors id=url,…  conductor RPC URLs instead of a config file
      --nodes id=url,…       op-node RPC URLs (with --conductors)
      --raft-addrs id=h:p,…  raft addresses (with --conductors; needed by membership commands)
      --nonvoters id,…       ids that should be nonvoters (with --conductors)

Commands:
  status [--watch] [--json]            table per sequencer and a verdict (exit 3 when not healthy)
  list-networks                        networks in the config file
  transfer-leader [--to id | id]       move raft leadership, wait until the cluster agrees
  pause|resume --all | id…             pause/resume conductors, wait until conductor_paused shows it
  override-leader <id> on|off [--node] set/clear the leader override (and op-node's, with --node)
  add-voter|add-nonvoter <id>          add a configured sequencer to the raft cluster
  remove-server <id>                   remove a member (compare-and-set on the membership version)
  update-cluster-membership            make the membership match the config (idempotent)
  halt-sequencer                       stop the active sequencer (all conductors must be paused)
  force-active-sequencer <id>          make <id> the only active sequencer (all conductors must be paused)

Flags:
  -y, --yes                  do not ask for confirmation
      --force                skip the safety checks that offer it
      --admin-jwt-secret FILE  32-byte hex secret: sign conductor calls (env OP_CONDUCTOR_CTL_ADMIN_JWT_SECRET)
      --rpc-timeout D        per-call timeout for status probes (default 2s)
      --timeout D            how long to wait for an action's outcome (default 30s)
      --version N            membership version for add/remove (default: read from the leader)
      --interval D           --watch refresh interval (default 2s); --iterations N stops after N refreshes
      --color / --no-color   force colours on/off (default: on for a terminal, off with NO_COLOR)
  -h, --help                 this text
`;
