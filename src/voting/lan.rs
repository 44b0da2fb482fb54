//! Which addresses of this machine the server may listen on: private LAN
//! addresses (RFC 1918), link-local and loopback. Public addresses and the
//! wildcard are never offered.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, UdpSocket};

/// True for an address the voting server may bind to.
pub fn is_allowed(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local() || v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback()
                // fe80::/10 link-local, fc00::/7 unique local.
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || (v6.segments()[0] & 0xfe00) == 0xfc00
        }
    }
}

/// The machine's addresses that are allowed, loopback last. Found by asking
/// the system which local address it would use to reach each private range
/// (a UDP "connect" sends nothing), so no interface listing is needed.
pub fn candidate_addresses() -> Vec<IpAddr> {
    let probes: [IpAddr; 5] = [
        IpAddr::V4(Ipv4Addr::new(192, 168, 255, 254)),
        IpAddr::V4(Ipv4Addr::new(10, 255, 255, 254)),
        IpAddr::V4(Ipv4Addr::new(172, 31, 255, 254)),
        IpAddr::V4(Ipv4Addr::new(169, 254, 255, 254)),
        // Any route at all: the default route's address, if it is private.
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
    ];
    let mut found = Vec::new();
    for probe in probes {
        let Ok(socket) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)) else {
            continue;
        };
        if socket.connect((probe, 9)).is_err() {
            continue;
        }
        if let Ok(local) = socket.local_addr() {
            let ip = local.ip();
            if is_allowed(ip) && !ip.is_loopback() && !found.contains(&ip) {
                found.push(ip);
            }
        }
    }
    found.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
    found.push(IpAddr::V6(Ipv6Addr::LOCALHOST));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_private_link_local_and_loopback() {
        for ok in [
            "10.0.0.5",
            "172.16.3.4",
            "192.168.1.20",
            "169.254.10.1",
            "127.0.0.1",
            "::1",
            "fe80::1",
            "fd12:3456::1",
        ] {
            assert!(
                is_allowed(ok.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))),
                "{ok}"
            );
        }
        for bad in ["0.0.0.0", "8.8.8.8", "172.32.0.1", "::", "2001:db8::1"] {
            assert!(
                !is_allowed(bad.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))),
                "{bad}"
            );
        }
        let found = candidate_addresses();
        assert!(found.iter().all(|ip| is_allowed(*ip)));
        assert!(found.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }
}
