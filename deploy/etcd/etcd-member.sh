#!/usr/bin/env bash
# Starts one member of a three-member etcd cluster for berth (Debian's etcd-server).
# Usage on each host:  deploy/etcd/etcd-member.sh NAME THIS_IP
#   e.g. on 10.0.0.1:  deploy/etcd/etcd-member.sh etcd-1 10.0.0.1
# The members below must match your hosts. Peers talk on 2380, clients (berth server) on 2379.
set -euo pipefail
name=$1
ip=$2
cluster="etcd-1=http://10.0.0.1:2380,etcd-2=http://10.0.0.2:2380,etcd-3=http://10.0.0.3:2380"
exec etcd \
  --name "$name" \
  --data-dir "/var/lib/etcd/$name" \
  --listen-peer-urls "http://$ip:2380" \
  --initial-advertise-peer-urls "http://$ip:2380" \
  --listen-client-urls "http://$ip:2379,http://127.0.0.1:2379" \
  --advertise-client-urls "http://$ip:2379" \
  --initial-cluster "$cluster" \
  --initial-cluster-state new \
  --initial-cluster-token berth \
  --auto-compaction-mode periodic --auto-compaction-retention 1h \
  --quota-backend-bytes 8589934592
