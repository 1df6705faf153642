//! The async client (feature `async`) against a loopback server.

#![cfg(feature = "async")]

mod support;

type Client = netapi::AsyncClient;

macro_rules! resolve {
    ($call:expr) => {
        $call.await
    };
}

client_scenarios!(|config| netapi::AsyncClient::new(config).expect("the client builds"));
