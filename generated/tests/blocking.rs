//! The blocking client (feature `blocking`) against a loopback server.

#![cfg(feature = "blocking")]

mod support;

type Client = netapi::BlockingClient;

macro_rules! resolve {
    ($call:expr) => {
        $call
    };
}

client_scenarios!(netapi::BlockingClient::new);
