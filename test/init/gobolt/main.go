// gobolt: writes real hashicorp raft-boltdb state for the import-bolt test.
//
// It runs a 3-node hashicorp/raft cluster in one process (TCP transport on 127.0.0.1, real BoltStore
// log/stable files and FileSnapshotStore per node, laid out as op-conductor does:
// <dir>/<id>/raft-log.db, raft-stable.db, snapshots/), applies commands of mixed sizes (some far
// larger than a bbolt page, so values land on overflow pages), takes a snapshot (which compacts
// the log), transfers leadership, applies more, shuts down, and then dumps every bucket's raw
// key/value bytes with Go's own bolt reader to <dir>/expected.json so the TS reader can be
// compared byte for byte.
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/boltdb/bolt"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb"
)

type fsm struct{ last []byte }

func (f *fsm) Apply(l *raft.Log) interface{} { f.last = append([]byte(nil), l.Data...); return nil }
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	return &snap{data: append([]byte(nil), f.last...)}, nil
}
func (f *fsm) Restore(rc io.ReadCloser) error {
	b, err := ioutil.ReadAll(rc)
	if err != nil {
		return err
	}
	f.last = b
	return rc.Close()
}

type snap struct{ data []byte }

func (s *snap) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write(s.data); err != nil {
		sink.Cancel()
		return err
	}
	return sink.Close()
}
func (s *snap) Release() {}

type kv struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type dbDump struct {
	Logs []kv `json:"logs"`
	Conf []kv `json:"conf"`
}

type nodeDump struct {
	Log    dbDump `json:"log"`
	Stable dbDump `json:"stable"`
}

func die(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gobolt:", err)
		os.Exit(1)
	}
}

// payload returns deterministic binary data; every 7th is bigger than a 4 KiB page.
func payload(i int) []byte {
	n := 40 + (i*37)%300
	if i%7 == 0 {
		n = 9000 + i
	}
	b := make([]byte, n)
	x := uint32(i*2654435761 + 1)
	for j := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[j] = byte(x)
	}
	return b
}

func dump(path string) dbDump {
	db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	die(err)
	defer db.Close()
	var d dbDump
	d.Logs = []kv{}
	d.Conf = []kv{}
	die(db.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"logs", "conf"} {
			b := tx.Bucket([]byte(name))
			if b == nil {
				continue
			}
			out := &d.Logs
			if name == "conf" {
				out = &d.Conf
			}
			if err := b.ForEach(func(k, v []byte) error {
				*out = append(*out, kv{hex.EncodeToString(k), hex.EncodeToString(v)})
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	}))
	return d
}

func main() {
	dir := flag.String("dir", "", "output directory")
	applies := flag.Int("applies", 300, "commands to apply")
	payloadsFile := flag.String("payloads", "", "optional file of hex payloads, one per line, applied in order (cycled)")
	flag.Parse()
	var given [][]byte
	if *payloadsFile != "" {
		raw, err := ioutil.ReadFile(*payloadsFile)
		die(err)
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			b, err := hex.DecodeString(strings.TrimSpace(line))
			die(err)
			given = append(given, b)
		}
	}
	data := func(i int) []byte {
		if len(given) > 0 {
			return given[i%len(given)]
		}
		return payload(i)
	}
	if *dir == "" {
		die(fmt.Errorf("-dir is required"))
	}
	ids := []string{"n1", "n2", "n3"}
	// Real TCP transports on 127.0.0.1 with OS-assigned ports (the in-memory transport of raft 1.1.2
	// can block a follower forever on an unbuffered response channel at shutdown).
	trans := make([]*raft.NetworkTransport, len(ids))
	addrs := make([]raft.ServerAddress, len(ids))
	for i := range ids {
		t, err := raft.NewTCPTransport("127.0.0.1:0", nil, 3, 2*time.Second, ioutil.Discard)
		die(err)
		trans[i] = t
		addrs[i] = t.LocalAddr()
	}
	var servers []raft.Server
	for i, id := range ids {
		servers = append(servers, raft.Server{Suffrage: raft.Voter, ID: raft.ServerID(id), Address: addrs[i]})
	}
	nodes := make([]*raft.Raft, len(ids))
	var closers []func()
	for i, id := range ids {
		base := filepath.Join(*dir, id)
		die(os.MkdirAll(base, 0755))
		logs, err := raftboltdb.NewBoltStore(filepath.Join(base, "raft-log.db"))
		die(err)
		stable, err := raftboltdb.NewBoltStore(filepath.Join(base, "raft-stable.db"))
		die(err)
		snaps, err := raft.NewFileSnapshotStore(base, 1, ioutil.Discard)
		die(err)
		conf := raft.DefaultConfig()
		conf.LocalID = raft.ServerID(id)
		// Generous timeouts: the test machine is shared and loaded; a flapping leader only slows us.
		conf.HeartbeatTimeout = 500 * time.Millisecond
		conf.ElectionTimeout = 500 * time.Millisecond
		conf.LeaderLeaseTimeout = 250 * time.Millisecond
		conf.CommitTimeout = 5 * time.Millisecond
		conf.SnapshotThreshold = 1 << 30
		conf.SnapshotInterval = time.Hour
		conf.TrailingLogs = 64
		conf.LogOutput = ioutil.Discard
		die(raft.BootstrapCluster(conf, logs, stable, snaps, trans[i], raft.Configuration{Servers: servers}))
		r, err := raft.NewRaft(conf, &fsm{}, logs, stable, snaps, trans[i])
		die(err)
		nodes[i] = r
		closers = append(closers, func() { logs.Close(); stable.Close() })
	}
	leader := func() *raft.Raft {
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			for _, n := range nodes {
				if n.State() == raft.Leader {
					return n
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		die(fmt.Errorf("no leader"))
		return nil
	}
	// apply retries on a new leader when leadership moves under load (bounded attempts).
	apply := func(data []byte) {
		var err error
		for attempt := 0; attempt < 20; attempt++ {
			if err = leader().Apply(data, 5*time.Second).Error(); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		die(err)
	}
	half := *applies / 2
	for i := 0; i < half; i++ {
		apply(data(i))
	}
	die(leader().Snapshot().Error())
	die(leader().LeadershipTransfer().Error())
	time.Sleep(50 * time.Millisecond)
	for i := half; i < *applies; i++ {
		apply(data(i))
	}
	l := leader()
	die(l.Barrier(5 * time.Second).Error())
	// Let followers catch up on the commit index before stopping.
	last := l.LastIndex()
	deadline := time.Now().Add(10 * time.Second)
	for _, n := range nodes {
		for n.AppliedIndex() < last && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	// Each shutdown is bounded; on a hang the goroutine dump goes to stderr.
	done := make(chan error, len(nodes))
	for _, n := range nodes {
		go func(n *raft.Raft) { done <- n.Shutdown().Error() }(n)
	}
	for range nodes {
		select {
		case err := <-done:
			die(err)
		case <-time.After(10 * time.Second):
			buf := make([]byte, 1<<20)
			os.Stderr.Write(buf[:runtime.Stack(buf, true)])
			die(fmt.Errorf("shutdown timed out"))
		}
	}
	for _, t := range trans {
		t.Close()
	}
	for _, c := range closers {
		c()
	}
	out := map[string]nodeDump{}
	for _, id := range ids {
		base := filepath.Join(*dir, id)
		out[id] = nodeDump{Log: dump(filepath.Join(base, "raft-log.db")), Stable: dump(filepath.Join(base, "raft-stable.db"))}
	}
	b, err := json.Marshal(out)
	die(err)
	die(ioutil.WriteFile(filepath.Join(*dir, "expected.json"), b, 0644))
}
