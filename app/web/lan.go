package web

import (
	"net"
	"net/netip"
)

// urlHost returns the host to print in the URL for a listening address: the
// address itself when it is a specific one, otherwise the laptop's LAN
// address (see lanAddress). reachable is false for a loopback address,
// which no phone can reach.
func urlHost(a net.Addr) (host string, reachable bool) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "127.0.0.1", false
	}
	if !tcp.IP.IsUnspecified() {
		return tcp.IP.String(), !tcp.IP.IsLoopback()
	}
	if ip, ok := lanAddress(); ok {
		return ip.String(), true
	}
	return "127.0.0.1", false
}

// lanAddress returns the IPv4 address phones on the same network reach the
// laptop at: a private address (192.168.x, 10.x, 172.16–31.x) of an
// interface that is up, preferring one that is not a container bridge.
func lanAddress() (netip.Addr, bool) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return netip.Addr{}, false
	}
	var cands []netip.Addr
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			pfx, err := netip.ParsePrefix(a.String())
			if err != nil {
				continue
			}
			ip := pfx.Addr()
			if ip.Is4() && ip.IsPrivate() {
				cands = append(cands, ip)
			}
		}
	}
	return pickLAN(cands)
}

// pickLAN prefers 192.168.x (home routers and phone or laptop hotspots),
// then 10.x, then 172.16–31.x (often a container bridge).
func pickLAN(cands []netip.Addr) (netip.Addr, bool) {
	rank := func(ip netip.Addr) int {
		b := ip.As4()
		switch {
		case b[0] == 192 && b[1] == 168:
			return 0
		case b[0] == 10:
			return 1
		default:
			return 2
		}
	}
	best, found := netip.Addr{}, false
	for _, ip := range cands {
		if !found || rank(ip) < rank(best) {
			best, found = ip, true
		}
	}
	return best, found
}
