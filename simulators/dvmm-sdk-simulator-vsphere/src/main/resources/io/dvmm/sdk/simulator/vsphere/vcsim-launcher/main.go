// Command vcsim-launcher starts the govmomi vSphere simulator (vcsim) on loopback over TLS
// with a vCenter or a standalone ESXi inventory of a chosen size, for the DVMM SDK tests
// and benchmark. It prints "URL <sdk url>", "SHA256 <certificate fingerprint>" and "READY"
// on stdout, then serves until killed or, with -stdin-tie, until its stdin closes, so a
// test JVM that dies never leaves a simulator behind.
//
// Built in GOPATH mode against Debian's golang-github-vmware-govmomi-dev:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o vcsim-launcher-bin ./vcsim-launcher
//
// dvmm-sdk-simulator-vsphere ships this file as a resource and builds it on first use (VcsimLauncher).
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	esx := flag.Bool("esx", false, "simulate a standalone ESXi host instead of a vCenter")
	dc := flag.Int("dc", 1, "datacenters (vCenter model)")
	clusters := flag.Int("cluster", 1, "clusters per datacenter (vCenter model)")
	clusterHosts := flag.Int("host", 2, "hosts per cluster (vCenter model)")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter (vCenter model)")
	vms := flag.Int("vm", 2, "virtual machines per resource pool")
	datastores := flag.Int("ds", 1, "datastores")
	portgroups := flag.Int("pg", 1, "distributed port groups per datacenter (vCenter model)")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback only)")
	user := flag.String("username", "", "accept only this user name (default: any non-empty)")
	pass := flag.String("password", "", "password for -username")
	stdinTie := flag.Bool("stdin-tie", false, "exit when stdin reaches end of file")
	delay := flag.Int("delay", 0, "milliseconds to delay every SOAP call")
	methodDelay := flag.String("method-delay", "", "per-method delays in milliseconds, such as CloneVM_Task:800,PowerOnVM_Task:500")
	template := flag.String("template", "", "turn the first VM into a powered-off template of this name, with one snapshot \"base\"")
	dhcp := flag.Duration("dhcp", 300*time.Millisecond, "simulated DHCP: give powered-on VMs without an address one after about this long (0: off)")
	templateDisk := flag.Int("template-disk-gib", 0, "grow the template's boot disk to this many GiB before its snapshot (0: keep vcsim's 1 MiB)")
	pageCap := flag.Int("page-cap", 100, "the most objects RetrievePropertiesEx returns per page, like vCenter (0: no paging)")
	apps := flag.Int("app", 0, "vApps per cluster (vCenter model)")
	pods := flag.Int("pod", 0, "datastore clusters (StoragePods) per datacenter, each holding that datacenter's datastores (vCenter model)")
	everyDC := flag.Bool("template-every-dc", false, "make the -template in every datacenter, with the same name")
	folder := flag.String("folder", "", "create a VM folder and a network folder of this name in every datacenter (repeated names)")
	restrictedUser := flag.String("restricted-user", "", "a second user, who cannot see VMs named with -hidden-prefix (needs -username)")
	restrictedPass := flag.String("restricted-password", "", "password for -restricted-user")
	hiddenPrefix := flag.String("hidden-prefix", "hidden-", "VMs whose name starts with this are invisible to -restricted-user")
	flag.Parse()

	if !strings.HasPrefix(*listen, "127.0.0.1:") && !strings.HasPrefix(*listen, "[::1]:") {
		fail("refusing to listen outside loopback: %s", *listen)
	}

	var model *simulator.Model
	if *esx {
		model = simulator.ESX()
		model.Datastore = *datastores
		model.Machine = *vms
	} else {
		model = simulator.VPX()
		model.Datacenter = *dc
		model.Cluster = *clusters
		model.ClusterHost = *clusterHosts
		model.Host = *standalone
		model.Machine = *vms
		model.Datastore = *datastores
		model.Portgroup = *portgroups
		model.App = *apps
		model.Pod = *pods
	}
	model.DelayConfig.Delay = *delay
	if *methodDelay != "" {
		model.DelayConfig.MethodDelay = map[string]int{}
		for _, entry := range strings.Split(*methodDelay, ",") {
			kv := strings.SplitN(entry, ":", 2)
			ms, err := strconv.Atoi(strings.TrimSpace(kv[len(kv)-1]))
			if len(kv) != 2 || err != nil {
				fail("bad -method-delay entry %q (want Method:millis)", entry)
			}
			model.DelayConfig.MethodDelay[strings.TrimSpace(kv[0])] = ms
		}
	}

	if err := model.Create(); err != nil {
		fail("creating the model: %v", err)
	}
	defer model.Remove()

	installSafeSearchIndex(*model.ServiceContent.SearchIndex)
	// Always installed: it also hands out the vCenter-like collectors (waitCollector).
	installPagingCollector(model.ServiceContent.PropertyCollector, *pageCap)

	model.Service.TLS = new(tls.Config)
	model.Service.Listen = &url.URL{Host: *listen}
	if *user != "" {
		model.Service.Listen.User = url.UserPassword(*user, *pass)
	}
	server := model.Service.NewServer()
	defer server.Close()
	if *restrictedUser != "" {
		if *user == "" || *restrictedUser == *user {
			fail("-restricted-user needs -username, and a different name")
		}
		// Swapped before any request reaches the server (the launcher's own come below).
		server.Server.Config.Handler = &restrictedGate{next: server.Server.Config.Handler, user: *restrictedUser,
			pass: *restrictedPass, prefix: *hiddenPrefix, asUser: *user, asPass: *pass, sessions: map[string]bool{}}
	}

	if *template != "" {
		if err := makeTemplate(server.URL, *template, *templateDisk, *everyDC); err != nil {
			fail("preparing template: %v", err)
		}
	}
	if *folder != "" || *pods > 0 {
		if err := shapeDatacenters(server.URL, *folder, *pods > 0); err != nil {
			fail("shaping datacenters: %v", err)
		}
	}
	if *dhcp > 0 {
		go simulateDHCP(*dhcp)
	}

	sdk := *server.URL
	sdk.User = nil
	sum := sha256.Sum256(server.Certificate().Raw)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "URL %s\n", sdk.String())
	fmt.Fprintf(out, "SHA256 %X\n", sum[:])
	fmt.Fprintln(out, "READY")
	out.Flush()

	done := make(chan os.Signal, 1)
	signal.Notify(done, os.Interrupt, syscall.SIGTERM)
	if *stdinTie {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			done <- syscall.SIGTERM
		}()
	}
	<-done
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim-launcher: "+format+"\n", args...)
	os.Exit(2)
}

// shapeDatacenters creates, in every datacenter, a VM folder and a network folder of the same name,
// and moves each datacenter's datastores into its first StoragePod: names repeat across datacenters,
// as in real multi-site vCenters.
func shapeDatacenters(u *url.URL, folder string, intoPod bool) error {
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer c.Logout(ctx)
	finder := find.NewFinder(c.Client, true)
	dcs, err := finder.DatacenterList(ctx, "*")
	if err != nil {
		return err
	}
	for _, dc := range dcs {
		folders, err := dc.Folders(ctx)
		if err != nil {
			return err
		}
		if folder != "" {
			if _, err := folders.VmFolder.CreateFolder(ctx, folder); err != nil {
				return err
			}
			if _, err := folders.NetworkFolder.CreateFolder(ctx, folder); err != nil {
				return err
			}
		}
		if intoPod {
			finder.SetDatacenter(dc)
			pods, err := finder.DatastoreClusterList(ctx, "*")
			if err != nil || len(pods) == 0 {
				continue
			}
			dss, err := finder.DatastoreList(ctx, "*")
			if err != nil {
				return err
			}
			refs := make([]types.ManagedObjectReference, 0, len(dss))
			for _, ds := range dss {
				refs = append(refs, ds.Reference())
			}
			pod := object.NewFolder(c.Client, pods[0].Reference())
			t, err := pod.MoveInto(ctx, refs)
			if err != nil {
				return err
			}
			if err := t.Wait(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// makeTemplate powers off the first VM (by name) of the first datacenter (or of every one),
// optionally grows its boot disk, snapshots it and marks it as a template.
func makeTemplate(u *url.URL, name string, diskGiB int, everyDC bool) error {
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer c.Logout(ctx)
	finder := find.NewFinder(c.Client, true)
	dcs, err := finder.DatacenterList(ctx, "*")
	if err != nil || len(dcs) == 0 {
		return fmt.Errorf("no datacenter: %v", err)
	}
	if !everyDC {
		dcs = dcs[:1]
	}
	for _, dc := range dcs {
		if err := templateIn(ctx, finder, dc, name, diskGiB); err != nil {
			return err
		}
	}
	return nil
}

func templateIn(ctx context.Context, finder *find.Finder, dc *object.Datacenter, name string, diskGiB int) error {
	finder.SetDatacenter(dc)
	vms, err := finder.VirtualMachineList(ctx, "*")
	if err != nil || len(vms) == 0 {
		return fmt.Errorf("no VM: %v", err)
	}
	sort.Slice(vms, func(i, j int) bool { return vms[i].Name() < vms[j].Name() })
	vm := vms[0]
	if t, err := vm.PowerOff(ctx); err == nil {
		_ = t.Wait(ctx)
	}
	if diskGiB > 0 {
		devices, err := vm.Device(ctx)
		if err != nil {
			return err
		}
		disks := devices.SelectByType((*types.VirtualDisk)(nil))
		if len(disks) == 0 {
			return fmt.Errorf("template has no disk to grow")
		}
		disk := disks[0].(*types.VirtualDisk)
		disk.CapacityInKB = int64(diskGiB) * 1024 * 1024
		disk.CapacityInBytes = disk.CapacityInKB * 1024
		if err := vm.EditDevice(ctx, disk); err != nil {
			return err
		}
	}
	t, err := vm.CreateSnapshot(ctx, "base", "template base", false, false)
	if err != nil {
		return err
	}
	if err := t.Wait(ctx); err != nil {
		return err
	}
	if t, err = vm.Rename(ctx, name); err != nil {
		return err
	}
	if err := t.Wait(ctx); err != nil {
		return err
	}
	return vm.MarkAsTemplate(ctx)
}

// simulateDHCP gives every powered-on VM that has a NIC but no address one, after a delay, the
// way a guest's DHCP client and VMware Tools would; vcsim itself only sets static addresses.
func simulateDHCP(every time.Duration) {
	var next int
	seen := map[types.ManagedObjectReference]time.Time{}
	for range time.Tick(every / 3) {
		for _, e := range simulator.Map.All("VirtualMachine") {
			vm, ok := e.(*simulator.VirtualMachine)
			if !ok {
				continue
			}
			simulator.Map.WithLock(vm, func() {
				ref := vm.Self
				if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn || vm.Config == nil || vm.Config.Template ||
					len(vm.Guest.Net) == 0 || vm.Guest.IpAddress != "" {
					delete(seen, ref)
					return
				}
				first, ok := seen[ref]
				if !ok {
					seen[ref] = time.Now()
					return
				}
				if time.Since(first) < every {
					return
				}
				next++
				ip := "10.77." + strconv.Itoa(next/250) + "." + strconv.Itoa(next%250+2)
				nets := append([]types.GuestNicInfo(nil), vm.Guest.Net...)
				nets[0].IpAddress = []string{ip}
				simulator.Map.Update(vm, []types.PropertyChange{
					{Name: "guest.ipAddress", Val: ip},
					{Name: "guest.net", Val: nets},
					{Name: "summary.guest.ipAddress", Val: ip},
				})
			})
		}
	}
}

// pagingCollector caps RetrievePropertiesEx pages like vCenter does and serves the rest through
// ContinueRetrievePropertiesEx tokens (vcsim 0.24 never pages); a limit of 0 turns paging off.
// vcsim gives each session a zero-valued instance of the collector's type, so the paging state
// is shared here rather than held in fields.
type pagingCollector struct {
	simulator.PropertyCollector
}

var paging = struct {
	limit int
	mu    sync.Mutex
	seq   int
	pages map[string]pageRest
}{pages: map[string]pageRest{}}

type pageRest struct {
	objects []types.ObjectContent
	max     int
}

func installPagingCollector(ref types.ManagedObjectReference, limit int) {
	paging.limit = limit
	p := &pagingCollector{}
	// The model is not serving yet, so copying the collector (and its zero locks) is safe.
	p.PropertyCollector.PropertyCollector = simulator.Map.Get(ref).(*simulator.PropertyCollector).PropertyCollector
	simulator.Map.Put(p)
}

func (p *pagingCollector) RetrievePropertiesEx(ctx *simulator.Context, r *types.RetrievePropertiesEx) soap.HasFault {
	body := p.PropertyCollector.RetrievePropertiesEx(ctx, r).(*methods.RetrievePropertiesExBody)
	if body.Res == nil || body.Res.Returnval == nil || paging.limit <= 0 {
		return body
	}
	max := paging.limit
	if r.Options.MaxObjects > 0 && int(r.Options.MaxObjects) < max {
		max = int(r.Options.MaxObjects)
	}
	body.Res.Returnval = p.page(body.Res.Returnval.Objects, max)
	return body
}

func (p *pagingCollector) ContinueRetrievePropertiesEx(ctx *simulator.Context, r *types.ContinueRetrievePropertiesEx) soap.HasFault {
	body := &methods.ContinueRetrievePropertiesExBody{}
	paging.mu.Lock()
	rest, ok := paging.pages[r.Token]
	delete(paging.pages, r.Token)
	paging.mu.Unlock()
	if !ok {
		body.Fault_ = simulator.Fault("unknown token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	body.Res = &types.ContinueRetrievePropertiesExResponse{Returnval: *p.page(rest.objects, rest.max)}
	return body
}

func (p *pagingCollector) page(objects []types.ObjectContent, max int) *types.RetrieveResult {
	if len(objects) <= max {
		return &types.RetrieveResult{Objects: objects}
	}
	paging.mu.Lock()
	paging.seq++
	token := "page-" + strconv.Itoa(paging.seq)
	paging.pages[token] = pageRest{objects: append([]types.ObjectContent(nil), objects[max:]...), max: max}
	paging.mu.Unlock()
	return &types.RetrieveResult{Objects: objects[:max], Token: token}
}

var _ mo.Reference = (*pagingCollector)(nil)

// waitCollector replaces the collectors that CreatePropertyCollector makes. vcsim 0.24's own keeps
// its filter list unguarded while WaitForUpdatesEx runs (a filter destroyed during a wait panics
// the wait and loses its updates), delivers a new filter's initial values only to a wait with an
// empty version or after an unrelated inventory change, never advances the version, and panics in
// DestroyPropertyCollector once it holds two filters. This one behaves like vCenter's: filters come
// and go during a wait, a new filter's values arrive with the next update set (waking a pending
// wait at once), changes are reported per requested path, and each update set has a new version.
// It computes updates from state (retrieving each affected filter and comparing with what it last
// reported), so it needs nothing of vcsim's unexported collector internals.
type waitCollector struct {
	simulator.PropertyCollector

	mu      sync.Mutex
	filters map[types.ManagedObjectReference]*waitFilter
	dirty   map[types.ManagedObjectReference]bool
	moved   bool // an object entered or left the inventory since the last calculation
	version int
	// given is the version of the last update set answered; a poll that names it acknowledges that
	// set, a poll that names an older one says the answer was lost (vCenter then reports the changes
	// since the older version again, so this collector rolls each filter back to what was acknowledged).
	given string
	wake  chan struct{}
	cancel  chan struct{}
}

type waitFilter struct {
	mo.PropertyFilter

	pc *waitCollector
	// sent holds what was last reported per object and path, as JSON (a copy: vcsim may change live values in place).
	sent  map[types.ManagedObjectReference]map[string]string
	acked map[types.ManagedObjectReference]map[string]string
	fresh bool
	redo  bool
}

func copySent(m map[types.ManagedObjectReference]map[string]string) map[types.ManagedObjectReference]map[string]string {
	out := make(map[types.ManagedObjectReference]map[string]string, len(m))
	for k, v := range m {
		out[k] = v // inner maps are replaced, never changed in place
	}
	return out
}

// Lock and Unlock opt the filter out of vcsim's per-object call lock.
func (f *waitFilter) Lock()   {}
func (f *waitFilter) Unlock() {}

func (p *pagingCollector) CreatePropertyCollector(ctx *simulator.Context, c *types.CreatePropertyCollector) soap.HasFault {
	wc := &waitCollector{
		filters: map[types.ManagedObjectReference]*waitFilter{},
		dirty:   map[types.ManagedObjectReference]bool{},
		wake:    make(chan struct{}, 1),
		cancel:  make(chan struct{}, 1),
	}
	wc.Self.Type = "PropertyCollector" // the real type name, not the Go wrapper's
	ctx.Session.Put(wc)
	ctx.Map.AddHandler(wc)
	return &methods.CreatePropertyCollectorBody{
		Res: &types.CreatePropertyCollectorResponse{Returnval: wc.Self},
	}
}

func (wc *waitCollector) signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// PutObject, UpdateObject and RemoveObject hear every inventory change (the registry's handler interface).
func (wc *waitCollector) PutObject(o mo.Reference) {
	wc.mu.Lock()
	wc.dirty[o.Reference()] = true
	wc.moved = true
	wc.mu.Unlock()
	wc.signal(wc.wake)
}

func (wc *waitCollector) UpdateObject(o mo.Reference, _ []types.PropertyChange) {
	wc.mu.Lock()
	wc.dirty[o.Reference()] = true
	wc.mu.Unlock()
	wc.signal(wc.wake)
}

func (wc *waitCollector) RemoveObject(ref types.ManagedObjectReference) {
	wc.mu.Lock()
	wc.dirty[ref] = true
	wc.moved = true
	wc.mu.Unlock()
	wc.signal(wc.wake)
}

func (wc *waitCollector) CreateFilter(ctx *simulator.Context, c *types.CreateFilter) soap.HasFault {
	body := &methods.CreateFilterBody{}
	for _, o := range c.Spec.ObjectSet {
		if ctx.Session.Get(o.Obj) == nil {
			body.Fault_ = simulator.Fault("The object has already been deleted or has not been completely created",
				&types.ManagedObjectNotFound{Obj: o.Obj})
			return body
		}
	}
	f := &waitFilter{pc: wc, sent: map[types.ManagedObjectReference]map[string]string{},
		acked: map[types.ManagedObjectReference]map[string]string{}, fresh: true}
	f.Self.Type = "PropertyFilter"
	f.Spec = c.Spec
	f.PartialUpdates = c.PartialUpdates
	ctx.Session.Put(f)
	wc.mu.Lock()
	wc.filters[f.Self] = f
	wc.mu.Unlock()
	wc.signal(wc.wake)
	body.Res = &types.CreateFilterResponse{Returnval: f.Self}
	return body
}

func (f *waitFilter) DestroyPropertyFilter(ctx *simulator.Context, c *types.DestroyPropertyFilter) soap.HasFault {
	f.pc.mu.Lock()
	delete(f.pc.filters, f.Self)
	f.pc.mu.Unlock()
	ctx.Session.Remove(f.Self)
	return &methods.DestroyPropertyFilterBody{Res: &types.DestroyPropertyFilterResponse{}}
}

func (wc *waitCollector) DestroyPropertyCollector(ctx *simulator.Context, c *types.DestroyPropertyCollector) soap.HasFault {
	wc.mu.Lock()
	filters := wc.filters
	wc.filters = map[types.ManagedObjectReference]*waitFilter{}
	wc.mu.Unlock()
	for ref := range filters {
		ctx.Session.Remove(ref)
	}
	wc.signal(wc.cancel)
	ctx.Map.RemoveHandler(wc)
	ctx.Session.Remove(c.This)
	return &methods.DestroyPropertyCollectorBody{Res: &types.DestroyPropertyCollectorResponse{}}
}

func (wc *waitCollector) CancelWaitForUpdates(ctx *simulator.Context, c *types.CancelWaitForUpdates) soap.HasFault {
	wc.signal(wc.cancel)
	return &methods.CancelWaitForUpdatesBody{Res: new(types.CancelWaitForUpdatesResponse)}
}

func (wc *waitCollector) WaitForUpdatesEx(ctx *simulator.Context, r *types.WaitForUpdatesEx) soap.HasFault {
	body := &methods.WaitForUpdatesExBody{}
	wait := time.Duration(-1)
	if r.Options != nil && r.Options.MaxWaitSeconds != nil {
		wait = time.Duration(*r.Options.MaxWaitSeconds) * time.Second
	}
	var timeout <-chan time.Time
	if wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		timeout = timer.C
	}
	// A new wait supersedes an earlier cancel.
	select {
	case <-wc.cancel:
	default:
	}
	full := r.Version == ""
	wc.mu.Lock()
	for _, f := range wc.filters {
		switch {
		case full:
			f.acked = map[types.ManagedObjectReference]map[string]string{}
		case r.Version == wc.given:
			f.acked = copySent(f.sent)
		default:
			// The update set after r.Version never arrived: report everything since r.Version again.
			f.sent = copySent(f.acked)
			f.redo = true
		}
	}
	wc.mu.Unlock()
	for {
		if set := wc.calculate(ctx, full); set != nil {
			body.Res = &types.WaitForUpdatesExResponse{Returnval: set}
			return body
		}
		full = false
		if wait == 0 {
			body.Res = &types.WaitForUpdatesExResponse{}
			return body
		}
		select {
		case <-wc.wake:
		case <-timeout:
			body.Res = &types.WaitForUpdatesExResponse{}
			return body
		case <-wc.cancel:
			body.Fault_ = simulator.Fault("", new(types.RequestCanceled))
			return body
		}
	}
}

// calculate returns the changes since the last update set (every filter's full state when full), or nil.
func (wc *waitCollector) calculate(ctx *simulator.Context, full bool) *types.UpdateSet {
	wc.mu.Lock()
	dirty := wc.dirty
	moved := wc.moved
	wc.dirty = map[types.ManagedObjectReference]bool{}
	wc.moved = false
	var todo []*waitFilter
	for _, f := range wc.filters {
		affected := full || f.fresh || f.redo || (moved && len(f.sent) == 0)
		f.redo = false
		for ref := range f.sent {
			if dirty[ref] {
				affected = true
			}
		}
		if moved {
			for _, o := range f.Spec.ObjectSet {
				if len(o.SelectSet) > 0 {
					affected = true
				}
			}
		}
		if full {
			f.sent = map[types.ManagedObjectReference]map[string]string{}
		}
		f.fresh = false
		if affected {
			todo = append(todo, f)
		}
	}
	wc.mu.Unlock()

	set := &types.UpdateSet{}
	for _, f := range todo {
		// Retrieved without holding wc.mu: retrieving takes the objects' locks, and inventory
		// changes (which call back into this collector) hold them.
		spec := f.Spec
		spec.ReportMissingObjectsInResults = types.NewBool(true)
		now := map[types.ManagedObjectReference]map[string]string{}
		values := map[types.ManagedObjectReference]map[string]types.AnyType{}
		res := wc.PropertyCollector.RetrievePropertiesEx(ctx, &types.RetrievePropertiesEx{SpecSet: []types.PropertyFilterSpec{spec}})
		if b, ok := res.(*methods.RetrievePropertiesExBody); ok && b.Res != nil && b.Res.Returnval != nil {
			for _, o := range b.Res.Returnval.Objects {
				now[o.Obj] = map[string]string{}
				values[o.Obj] = map[string]types.AnyType{}
				for _, p := range o.PropSet {
					j, err := json.Marshal(p.Val)
					if err != nil {
						j = []byte(fmt.Sprintf("unencodable %p", &p))
					}
					now[o.Obj][p.Name] = string(j)
					values[o.Obj][p.Name] = p.Val
				}
			}
		}
		wc.mu.Lock()
		if _, alive := wc.filters[f.Self]; !alive {
			wc.mu.Unlock()
			continue
		}
		fu := types.PropertyFilterUpdate{Filter: f.Self}
		for obj, props := range now {
			before, known := f.sent[obj]
			ou := types.ObjectUpdate{Obj: obj, Kind: types.ObjectUpdateKindModify}
			if !known {
				ou.Kind = types.ObjectUpdateKindEnter
			}
			for name, j := range props {
				if known && before[name] == j {
					continue
				}
				ou.ChangeSet = append(ou.ChangeSet, types.PropertyChange{Name: name, Op: types.PropertyChangeOpAssign, Val: values[obj][name]})
			}
			for name := range before {
				if _, still := props[name]; !still {
					ou.ChangeSet = append(ou.ChangeSet, types.PropertyChange{Name: name, Op: types.PropertyChangeOpRemove})
				}
			}
			if !known || len(ou.ChangeSet) > 0 {
				sort.Slice(ou.ChangeSet, func(i, j int) bool { return ou.ChangeSet[i].Name < ou.ChangeSet[j].Name })
				fu.ObjectSet = append(fu.ObjectSet, ou)
			}
			f.sent[obj] = props
		}
		for obj := range f.sent {
			if _, still := now[obj]; !still {
				fu.ObjectSet = append(fu.ObjectSet, types.ObjectUpdate{Obj: obj, Kind: types.ObjectUpdateKindLeave})
				delete(f.sent, obj)
			}
		}
		wc.mu.Unlock()
		if len(fu.ObjectSet) > 0 {
			set.FilterSet = append(set.FilterSet, fu)
		}
	}
	if len(set.FilterSet) == 0 {
		return nil
	}
	wc.mu.Lock()
	wc.version++
	set.Version = strconv.Itoa(wc.version)
	wc.given = set.Version
	wc.mu.Unlock()
	return set
}

// safeSearchIndex works around vcsim 0.24's FindChild, which panics when a concurrently cloned
// VM is already in its folder but not yet named; it retries briefly, as the clone completes.
// (Only RegisterVM_Task uses Map.SearchIndex(), which this wrapper breaks; the SDK never calls it.)
type safeSearchIndex struct {
	simulator.SearchIndex
}

func installSafeSearchIndex(ref types.ManagedObjectReference) {
	s := &safeSearchIndex{}
	s.SearchIndex.SearchIndex = simulator.Map.Get(ref).(*simulator.SearchIndex).SearchIndex
	simulator.Map.Put(s)
}

func (s *safeSearchIndex) FindChild(req *types.FindChild) soap.HasFault {
	for attempt := 0; ; attempt++ {
		res, ok := func() (res soap.HasFault, ok bool) {
			defer func() {
				if r := recover(); r != nil && attempt < 50 {
					ok = false
				} else if r != nil {
					panic(r)
				}
			}()
			return s.SearchIndex.FindChild(req), true
		}()
		if ok {
			return res
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// restrictedGate gives vcsim, which grants every privilege to every session, one user with a
// restricted view, as vCenter has: VMs whose name starts with the hidden prefix are absent from
// that user's listings, FindChild answers and update sets, and any call that names one fails
// with NoPermission (System.Read for reads, the operation's privilege otherwise), as vCenter
// answers an object the user holds no role on. The restricted user logs in with its own
// password; the gate forwards the login as the simulator's user and remembers the session.
type restrictedGate struct {
	next               http.Handler
	user, pass, prefix string
	asUser, asPass     string
	mu                 sync.Mutex
	sessions           map[string]bool
}

var (
	vmRefInRequest = regexp.MustCompile(`type="VirtualMachine"[^>]*>(vm-[0-9]+)<`)
	methodName     = regexp.MustCompile(`<(?:[A-Za-z0-9]+:)?Body[^>]*>\s*<(?:[A-Za-z0-9]+:)?([A-Za-z_]+)`)
	objectsElem    = regexp.MustCompile(`(?s)<objects>.*?</objects>|<objectSet>.*?</objectSet>|<returnval type="VirtualMachine">vm-[0-9]+</returnval>`)
	userNameElem   = regexp.MustCompile(`<userName>([^<]*)</userName>`)
	passwordElem   = regexp.MustCompile(`<password>([^<]*)</password>`)
)

var privileges = map[string]string{
	"PowerOnVM_Task":  "VirtualMachine.Interact.PowerOn",
	"PowerOffVM_Task": "VirtualMachine.Interact.PowerOff",
	"ResetVM_Task":    "VirtualMachine.Interact.Reset",
	"SuspendVM_Task":  "VirtualMachine.Interact.Suspend",
	"ShutdownGuest":   "VirtualMachine.Interact.PowerOff",
	"RebootGuest":     "VirtualMachine.Interact.Reset",
	"Destroy_Task":    "VirtualMachine.Inventory.Delete",
	"ReconfigVM_Task": "VirtualMachine.Config.Settings",
	"CloneVM_Task":    "VirtualMachine.Provisioning.Clone",
}

func (g *restrictedGate) hidden() map[string]bool {
	out := map[string]bool{}
	for _, e := range simulator.Map.All("VirtualMachine") {
		if strings.HasPrefix(e.Entity().Name, g.prefix) {
			out[e.Reference().Value] = true
		}
	}
	return out
}

func (g *restrictedGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		g.next.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	restricted := false
	if c, err := r.Cookie("vmware_soap_session"); err == nil {
		g.mu.Lock()
		restricted = g.sessions[c.Value]
		g.mu.Unlock()
	}
	method := ""
	if m := methodName.FindSubmatch(body); m != nil {
		method = string(m[1])
	}
	login := false
	if method == "Login" {
		if u := userNameElem.FindSubmatch(body); u != nil && string(u[1]) == g.user {
			p := passwordElem.FindSubmatch(body)
			if p == nil || string(p[1]) != g.pass {
				// A wrong password: the simulator refuses it as it refuses any other.
				body = passwordElem.ReplaceAll(body, []byte("<password>-</password>"))
			} else {
				login = true
				body = userNameElem.ReplaceAll(body, []byte("<userName>"+g.asUser+"</userName>"))
				body = passwordElem.ReplaceAll(body, []byte("<password>"+g.asPass+"</password>"))
			}
		}
	}
	if restricted {
		hidden := g.hidden()
		for _, m := range vmRefInRequest.FindAllSubmatch(body, -1) {
			if hidden[string(m[1])] {
				g.denied(w, string(m[1]), method)
				return
			}
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec := httptest.NewRecorder()
	g.next.ServeHTTP(rec, r)
	out := rec.Body.Bytes()
	if login && rec.Code == http.StatusOK {
		for _, c := range rec.Result().Cookies() {
			if c.Name == "vmware_soap_session" {
				g.mu.Lock()
				g.sessions[c.Value] = true
				g.mu.Unlock()
			}
		}
	}
	if restricted {
		hidden := g.hidden()
		out = objectsElem.ReplaceAllFunc(out, func(elem []byte) []byte {
			for _, m := range regexp.MustCompile(`type="VirtualMachine">(vm-[0-9]+)<`).FindAllSubmatch(elem, -1) {
				if hidden[string(m[1])] {
					return nil
				}
			}
			return elem
		})
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(out)
}

func (g *restrictedGate) denied(w http.ResponseWriter, vm, method string) {
	privilege, ok := privileges[method]
	if !ok {
		privilege = "System.Read"
	}
	fault := `<?xml version="1.0" encoding="UTF-8"?>` +
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode>` +
		`<faultstring>Permission to perform this operation was denied.</faultstring>` +
		`<detail><NoPermissionFault xmlns="urn:vim25" xsi:type="NoPermission">` +
		`<object type="VirtualMachine">` + vm + `</object><privilegeId>` + privilege + `</privilegeId>` +
		`</NoPermissionFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(fault)))
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, fault)
}
