package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tillpos/till/pos/pay/paysim"
)

var paysimCmd = command{
	name:    "paysim",
	usage:   "[--addr HOST:PORT]",
	short:   "simulate Alipay and WeChat Pay to try QR payments",
	summary: "run a simulator of Alipay and WeChat Pay, with a customer phone page, to try QR payments",
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		addr := fs.String("addr", "", "listen `address` (default [paysim] addr, else "+paysim.DefaultAddr+")")
		return func(e *env, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("%w: till paysim [--addr HOST:PORT]", errUsage)
			}
			cfg := e.cfg.PaySim
			if *addr != "" {
				cfg.Addr = *addr
			}
			if cfg.KeyDir == "" {
				// Keep the keys, so the till's config stays valid across runs.
				cfg.KeyDir = filepath.Join(filepath.Dir(defaultDBPath()), "paysim")
			}
			if err := os.MkdirAll(cfg.KeyDir, 0o700); err != nil {
				return fmt.Errorf("paysim keys: %w", err)
			}
			if cfg.Merchant == "" {
				cfg.Merchant = e.cfg.Shop
			}
			fmt.Fprintln(e.stdout, `paysim: then choose one in till.toml with [qr] provider = "alipay" (or "wechat")`)
			return paysim.Serve(e.ctx, cfg, e.stdout)
		}
	},
}
