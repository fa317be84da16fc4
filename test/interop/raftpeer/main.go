// raftpeer: a minimal hashicorp/raft node used as the live Go peer in op-conductor-ts interop tests.
//
// It is built against whatever hashicorp/raft the GOPATH provides (Debian ships 1.1.2) with the
// library's own NetworkTransport (plain TCP), raft-boltdb log+stable stores (two files, as
// op-conductor does) and a FileSnapshotStore retaining 1 snapshot. The FSM records every applied
// LogCommand as a hash chain, so tests can compare "identical bytes in identical order" across
// languages with one value: chain_n = sha256(chain_{n-1} || data_n), chain_0 = 32 zero bytes.
//
// A tiny HTTP control API on 127.0.0.1 drives it. On startup it prints one line to stdout:
//
//	READY raft=<advertised raft addr> http=<http addr>
//
// so a harness can use port 0 for both listeners.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb"
)

// applyTimeout bounds every future the control API waits on, so a wedged cluster fails a test
// instead of hanging it.
const applyTimeout = 10 * time.Second

type fsm struct {
	mu      sync.Mutex
	count   uint64
	chain   [32]byte
	last    []byte
	applied uint64
}

type fsmState struct {
	Count   uint64 `json:"count"`
	Chain   string `json:"chain"`
	Applied uint64 `json:"applied"`
}

func (f *fsm) Apply(l *raft.Log) interface{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = l.Index
	if l.Type != raft.LogCommand {
		return nil
	}
	h := sha256.New()
	h.Write(f.chain[:])
	h.Write(l.Data)
	copy(f.chain[:], h.Sum(nil))
	f.count++
	f.last = append([]byte(nil), l.Data...)
	return f.count
}

func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, err := json.Marshal(fsmState{Count: f.count, Chain: hex.EncodeToString(f.chain[:]), Applied: f.applied})
	if err != nil {
		return nil, err
	}
	return &snap{b}, nil
}

func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	b, err := ioutil.ReadAll(rc)
	if err != nil {
		return err
	}
	var st fsmState
	if len(b) > 0 {
		if err := json.Unmarshal(b, &st); err != nil {
			return err
		}
	}
	chain, err := hex.DecodeString(st.Chain)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.count = st.Count
	f.applied = st.Applied
	for i := range f.chain {
		f.chain[i] = 0
	}
	copy(f.chain[:], chain)
	return nil
}

type snap struct{ b []byte }

func (s *snap) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write(s.b); err != nil {
		sink.Cancel()
		return err
	}
	return sink.Close()
}

func (s *snap) Release() {}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
}

func main() {
	id := flag.String("id", "", "server ID")
	bind := flag.String("bind", "127.0.0.1:0", "raft TCP bind address")
	advertise := flag.String("advertise", "", "advertised raft address (default: the bound address)")
	httpAddr := flag.String("http", "127.0.0.1:0", "control API address")
	dir := flag.String("dir", "", "data directory")
	bootstrap := flag.Bool("bootstrap", false, "bootstrap a cluster")
	peers := flag.String("peers", "", "bootstrap configuration id=addr,... (default: self only)")
	heartbeatMs := flag.Int("heartbeat-ms", 1000, "HeartbeatTimeout")
	electionMs := flag.Int("election-ms", 1000, "ElectionTimeout")
	leaseMs := flag.Int("lease-ms", 500, "LeaderLeaseTimeout")
	commitMs := flag.Int("commit-ms", 50, "CommitTimeout")
	trailing := flag.Uint64("trailing-logs", 10240, "TrailingLogs")
	snapThreshold := flag.Uint64("snapshot-threshold", 8192, "SnapshotThreshold")
	logLevel := flag.String("log-level", "warn", "hclog level")
	flag.Parse()
	if *id == "" || *dir == "" {
		fmt.Fprintln(os.Stderr, "raftpeer: --id and --dir are required")
		os.Exit(2)
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "raft-" + *id, Output: os.Stderr, Level: hclog.LevelFromString(*logLevel)})

	var adv net.Addr
	if *advertise != "" {
		a, err := net.ResolveTCPAddr("tcp", *advertise)
		if err != nil {
			fmt.Fprintln(os.Stderr, "raftpeer: advertise:", err)
			os.Exit(2)
		}
		adv = a
	}
	trans, err := raft.NewTCPTransportWithLogger(*bind, adv, 10, 5*time.Second, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer: transport:", err)
		os.Exit(1)
	}
	base := filepath.Join(*dir, *id)
	if err := os.MkdirAll(base, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer:", err)
		os.Exit(1)
	}
	logStore, err := raftboltdb.NewBoltStore(filepath.Join(base, "raft-log.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer: log store:", err)
		os.Exit(1)
	}
	stableStore, err := raftboltdb.NewBoltStore(filepath.Join(base, "raft-stable.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer: stable store:", err)
		os.Exit(1)
	}
	snaps, err := raft.NewFileSnapshotStoreWithLogger(base, 1, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer: snapshot store:", err)
		os.Exit(1)
	}

	conf := raft.DefaultConfig()
	conf.LocalID = raft.ServerID(*id)
	conf.Logger = logger
	conf.HeartbeatTimeout = time.Duration(*heartbeatMs) * time.Millisecond
	conf.ElectionTimeout = time.Duration(*electionMs) * time.Millisecond
	conf.LeaderLeaseTimeout = time.Duration(*leaseMs) * time.Millisecond
	conf.CommitTimeout = time.Duration(*commitMs) * time.Millisecond
	conf.TrailingLogs = *trailing
	conf.SnapshotThreshold = *snapThreshold

	f := &fsm{}
	r, err := raft.NewRaft(conf, f, logStore, stableStore, snaps, trans)
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer: raft:", err)
		os.Exit(1)
	}
	if *bootstrap {
		cfg := raft.Configuration{}
		if *peers == "" {
			cfg.Servers = []raft.Server{{Suffrage: raft.Voter, ID: conf.LocalID, Address: trans.LocalAddr()}}
		} else {
			for _, p := range strings.Split(*peers, ",") {
				kv := strings.SplitN(p, "=", 2)
				if len(kv) != 2 {
					fmt.Fprintln(os.Stderr, "raftpeer: bad --peers entry", p)
					os.Exit(2)
				}
				cfg.Servers = append(cfg.Servers, raft.Server{Suffrage: raft.Voter, ID: raft.ServerID(kv[0]), Address: raft.ServerAddress(kv[1])})
			}
		}
		if err := r.BootstrapCluster(cfg).Error(); err != nil && err != raft.ErrCantBootstrap {
			fmt.Fprintln(os.Stderr, "raftpeer: bootstrap:", err)
			os.Exit(1)
		}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/state", func(w http.ResponseWriter, _ *http.Request) {
		st := r.Stats()
		f.mu.Lock()
		count, chain, applied := f.count, hex.EncodeToString(f.chain[:]), f.applied
		f.mu.Unlock()
		term, _ := strconv.ParseUint(st["term"], 10, 64)
		commit, _ := strconv.ParseUint(st["commit_index"], 10, 64)
		writeJSON(w, 200, map[string]interface{}{
			"id": *id, "role": strings.ToLower(r.State().String()), "leader": string(r.Leader()),
			"term": term, "lastIndex": r.LastIndex(), "commitIndex": commit, "appliedIndex": r.AppliedIndex(),
			"fsmApplied": applied, "appliedCount": count, "appliedChain": chain,
		})
	})
	mux.HandleFunc("/apply", func(w http.ResponseWriter, req *http.Request) {
		body, err := ioutil.ReadAll(io.LimitReader(req.Body, 64<<20))
		if err != nil {
			fail(w, err)
			return
		}
		fut := r.Apply(body, applyTimeout)
		if err := fut.Error(); err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, 200, map[string]interface{}{"index": fut.Index()})
	})
	mux.HandleFunc("/add_voter", func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		fut := r.AddVoter(raft.ServerID(q.Get("id")), raft.ServerAddress(q.Get("addr")), 0, applyTimeout)
		if err := fut.Error(); err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, 200, map[string]interface{}{"index": fut.Index()})
	})
	mux.HandleFunc("/remove_server", func(w http.ResponseWriter, req *http.Request) {
		fut := r.RemoveServer(raft.ServerID(req.URL.Query().Get("id")), 0, applyTimeout)
		if err := fut.Error(); err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, 200, map[string]interface{}{"index": fut.Index()})
	})
	mux.HandleFunc("/transfer", func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		var fut raft.Future
		if q.Get("id") != "" {
			fut = r.LeadershipTransferToServer(raft.ServerID(q.Get("id")), raft.ServerAddress(q.Get("addr")))
		} else {
			fut = r.LeadershipTransfer()
		}
		if err := fut.Error(); err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, 200, map[string]interface{}{"ok": true})
	})
	mux.HandleFunc("/snapshot", func(w http.ResponseWriter, _ *http.Request) {
		if err := r.Snapshot().Error(); err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, 200, map[string]interface{}{"ok": true})
	})
	mux.HandleFunc("/configuration", func(w http.ResponseWriter, _ *http.Request) {
		fut := r.GetConfiguration()
		if err := fut.Error(); err != nil {
			fail(w, err)
			return
		}
		servers := []map[string]interface{}{}
		for _, s := range fut.Configuration().Servers {
			servers = append(servers, map[string]interface{}{"id": string(s.ID), "address": string(s.Address), "suffrage": int(s.Suffrage)})
		}
		writeJSON(w, 200, map[string]interface{}{"servers": servers, "index": fut.Index()})
	})
	done := make(chan struct{})
	mux.HandleFunc("/shutdown", func(w http.ResponseWriter, _ *http.Request) {
		err := r.Shutdown().Error()
		_ = trans.Close()
		_ = logStore.Close()
		_ = stableStore.Close()
		if err != nil {
			fail(w, err)
		} else {
			writeJSON(w, 200, map[string]interface{}{"ok": true})
		}
		close(done)
	})

	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftpeer: http:", err)
		os.Exit(1)
	}
	go func() { _ = http.Serve(ln, mux) }()
	fmt.Printf("READY raft=%s http=%s\n", trans.LocalAddr(), ln.Addr().String())
	<-done
	time.Sleep(50 * time.Millisecond)
}
