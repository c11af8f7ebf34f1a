//! The PROXY protocol (HAProxy's, versions 1 and 2) in front of SSH.
//!
//! Behind a TCP load balancer every connection comes from the balancer, so per-address caps,
//! penalties, logs and state would all count the balancer. With `--proxy-from CIDR[,…]` a
//! connection from those addresses must start with a PROXY header naming the real client;
//! connections from anywhere else are plain SSH (a PROXY header from them fails the SSH
//! handshake, so nobody can claim another address). The header is parsed by the `ppp` crate;
//! here we only read exactly its bytes off the socket, so the SSH stream after it is intact.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use ipnet::IpNet;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Networks whose connections carry a PROXY header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyFrom(Vec<IpNet>);

impl ProxyFrom {
    /// Whether a connection from `ip` must start with a PROXY header.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }
}

impl FromStr for ProxyFrom {
    type Err = String;

    /// `10.0.0.0/8,192.0.2.7` (a bare address is a /32 or /128).
    fn from_str(text: &str) -> Result<ProxyFrom, String> {
        let mut nets = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "`{item}` is not an address or network: write e.g. 10.0.0.5 or 10.0.0.0/24"
                    )
                })?;
            nets.push(net);
        }
        if nets.is_empty() {
            return Err("no address given: write e.g. --proxy-from 127.0.0.1".into());
        }
        Ok(ProxyFrom(nets))
    }
}

/// Why a PROXY header could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error("the connection closed before a complete PROXY header")]
    Closed,
    #[error("no PROXY header from a --proxy-from address")]
    Missing,
    #[error("malformed PROXY header: {0}")]
    Malformed(String),
}

/// Longest version 1 header, `\r\n` included (the specification's 107 bytes).
const V1_MAX: usize = 107;
/// Version 2's fixed part: 12 signature bytes, version/command, family, length.
const V2_FIXED: usize = 16;
const V2_SIGNATURE: &[u8; 12] = b"\r\n\r\n\0\r\nQUIT\n";

/// Reads one PROXY header (v1 or v2) and no byte more. Returns the client's address, or
/// `None` for a header without one (v2 `LOCAL`, as balancers send for health checks, or v1
/// `UNKNOWN`): the connection is then the balancer's own.
pub async fn read_header<R: AsyncRead + Unpin>(
    stream: &mut R,
) -> Result<Option<SocketAddr>, HeaderError> {
    let mut buf = vec![0u8; 5];
    read_exact(stream, &mut buf).await?;
    if buf == b"PROXY" {
        // Version 1: text up to CRLF, read a byte at a time so nothing after it is taken.
        while !buf.ends_with(b"\r\n") {
            if buf.len() >= V1_MAX {
                return Err(HeaderError::Malformed("version 1 header too long".into()));
            }
            let mut byte = [0u8; 1];
            read_exact(stream, &mut byte).await?;
            buf.push(byte[0]);
        }
        let header = ppp::v1::Header::try_from(&buf[..])
            .map_err(|e| HeaderError::Malformed(e.to_string()))?;
        return Ok(match header.addresses {
            ppp::v1::Addresses::Tcp4(a) => {
                Some(SocketAddr::new(a.source_address.into(), a.source_port))
            }
            ppp::v1::Addresses::Tcp6(a) => {
                Some(SocketAddr::new(a.source_address.into(), a.source_port))
            }
            ppp::v1::Addresses::Unknown => None,
        });
    }
    if !V2_SIGNATURE.starts_with(&buf) {
        return Err(HeaderError::Missing);
    }
    buf.resize(V2_FIXED, 0);
    read_exact(stream, &mut buf[5..]).await?;
    if &buf[..12] != V2_SIGNATURE {
        return Err(HeaderError::Missing);
    }
    let length = u16::from_be_bytes([buf[14], buf[15]]) as usize;
    buf.resize(V2_FIXED + length, 0);
    read_exact(stream, &mut buf[V2_FIXED..]).await?;
    let header =
        ppp::v2::Header::try_from(&buf[..]).map_err(|e| HeaderError::Malformed(e.to_string()))?;
    if header.command == ppp::v2::Command::Local {
        return Ok(None);
    }
    Ok(match header.addresses {
        ppp::v2::Addresses::IPv4(a) => {
            Some(SocketAddr::new(a.source_address.into(), a.source_port))
        }
        ppp::v2::Addresses::IPv6(a) => {
            Some(SocketAddr::new(a.source_address.into(), a.source_port))
        }
        ppp::v2::Addresses::Unspecified | ppp::v2::Addresses::Unix(_) => None,
    })
}

async fn read_exact<R: AsyncRead + Unpin>(
    stream: &mut R,
    buf: &mut [u8],
) -> Result<(), HeaderError> {
    stream
        .read_exact(buf)
        .await
        .map(|_| ())
        .map_err(|_| HeaderError::Closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(bytes: &[u8]) -> (Result<Option<SocketAddr>, HeaderError>, Vec<u8>) {
        let mut reader = bytes;
        let r = read_header(&mut reader).await;
        (r, reader.to_vec())
    }

    fn v2(command: ppp::v2::Command, addresses: impl Into<ppp::v2::Addresses>) -> Vec<u8> {
        ppp::v2::Builder::with_addresses(
            ppp::v2::Version::Two | command,
            ppp::v2::Protocol::Stream,
            addresses,
        )
        .build()
        .unwrap()
    }

    #[tokio::test]
    async fn version_1_gives_the_client_and_leaves_the_ssh_stream() {
        let (r, rest) =
            parse(b"PROXY TCP4 198.51.100.7 192.0.2.1 51000 2222\r\nSSH-2.0-OpenSSH_9.2\r\n").await;
        assert_eq!(r, Ok(Some("198.51.100.7:51000".parse().unwrap())));
        assert_eq!(rest, b"SSH-2.0-OpenSSH_9.2\r\n");
        let (r, _) = parse(b"PROXY TCP6 2001:db8::7 2001:db8::1 51000 2222\r\n").await;
        assert_eq!(r, Ok(Some("[2001:db8::7]:51000".parse().unwrap())));
        let (r, rest) = parse(b"PROXY UNKNOWN\r\nSSH").await;
        assert_eq!(r, Ok(None));
        assert_eq!(rest, b"SSH");
    }

    #[tokio::test]
    async fn version_2_gives_the_client_and_local_is_the_balancer() {
        let addrs = ppp::v2::IPv4::new([203, 0, 113, 9], [192, 0, 2, 1], 40000, 2222);
        let mut bytes = v2(ppp::v2::Command::Proxy, addrs);
        bytes.extend_from_slice(b"SSH-2.0-x\r\n");
        let (r, rest) = parse(&bytes).await;
        assert_eq!(r, Ok(Some("203.0.113.9:40000".parse().unwrap())));
        assert_eq!(rest, b"SSH-2.0-x\r\n");
        let local = v2(ppp::v2::Command::Local, ppp::v2::Addresses::Unspecified);
        assert_eq!(parse(&local).await.0, Ok(None));
    }

    #[tokio::test]
    async fn plain_ssh_truncated_and_garbage_are_refused() {
        assert_eq!(
            parse(b"SSH-2.0-OpenSSH\r\n").await.0,
            Err(HeaderError::Missing)
        );
        assert_eq!(parse(b"PROXY TCP4 1.2").await.0, Err(HeaderError::Closed));
        assert!(matches!(
            parse(b"PROXY TCP4 nonsense here 1 2\r\n").await.0,
            Err(HeaderError::Malformed(_))
        ));
        let long = format!("PROXY {}\r\n", "x".repeat(200));
        assert!(matches!(
            parse(long.as_bytes()).await.0,
            Err(HeaderError::Malformed(_))
        ));
        assert_eq!(parse(b"\r\n\r\n\0\r\nQU").await.0, Err(HeaderError::Closed));
    }

    #[test]
    fn networks_parse_and_match() {
        let from: ProxyFrom = "10.0.0.0/8, 192.0.2.7,2001:db8::/32".parse().unwrap();
        assert!(from.trusts("10.1.2.3".parse().unwrap()));
        assert!(from.trusts("192.0.2.7".parse().unwrap()));
        assert!(!from.trusts("192.0.2.8".parse().unwrap()));
        assert!(from.trusts("2001:db8::5".parse().unwrap()));
        let e = "10.0.0.0/33".parse::<ProxyFrom>().unwrap_err();
        assert!(e.contains("not an address or network"), "{e}");
        assert!("".parse::<ProxyFrom>().is_err());
    }
}
