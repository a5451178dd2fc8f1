package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tillpos/till/i18n"

	"github.com/tillpos/till/pos/pay/paysim"
)

var paysimCmd = command{
	name:    "paysim",
	usage:   "[--addr HOST:PORT] | code alipay|wechat [pay|password|decline|race]",
	short:   i18n.N("simulate Alipay and WeChat Pay to try QR payments; print a customer's payment code"),
	summary: i18n.N("run a simulator of Alipay and WeChat Pay, with a customer phone page, to try QR payments; `paysim code alipay|wechat [pay|password|decline|race]` prints a customer's payment code from it"),
	noStore: true,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		addr := fs.String("addr", "", "listen `address` (default [paysim] addr, else "+paysim.DefaultAddr+")")
		return func(e *env, args []string) error {
			cfg := e.cfg.PaySim
			if *addr != "" {
				cfg.Addr = *addr
			}
			if len(args) > 0 && args[0] == "code" {
				return paysimCode(e, cfg.Addr, args[1:])
			}
			if len(args) != 0 {
				return fmt.Errorf("%w: till paysim [--addr HOST:PORT] [code alipay|wechat [pay|password|decline|race]]", errUsage)
			}
			if cfg.KeyDir == "" {
				// Keep the keys, so the till's config stays valid across runs.
				cfg.KeyDir = filepath.Join(filepath.Dir(defaultDBPath()), "paysim")
			}
			if err := os.MkdirAll(cfg.KeyDir, 0o700); err != nil {
				return e.p.Errorf("paysim keys: %w", err)
			}
			if cfg.Merchant == "" {
				cfg.Merchant = e.cfg.Shop
			}
			fmt.Fprintln(e.stdout, e.p.T(`paysim: then choose one in till.toml with [qr] provider = "alipay" (or "wechat")`))
			return paysim.Serve(e.ctx, cfg, e.stdout)
		}
	},
}

// paysimCode prints a payment code from the running simulator, for the
// cashier to scan or type on the pay screen.
func paysimCode(e *env, addr string, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("%w: till paysim code alipay|wechat [pay|password|decline|race]", errUsage)
	}
	b := "pay"
	if len(args) == 2 {
		b = args[1]
	}
	if addr == "" {
		addr = paysim.DefaultAddr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	code, err := paysim.FetchCode(ctx, "http://"+addr, args[0], b)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, code)
	return nil
}
