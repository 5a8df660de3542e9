"""``designimage`` command line: websites, API keys and signed URLs, straight against storage.

    designimage website create --id 23 --name "Demo shop"   # prints the first key, once
    designimage website show --id 23
    designimage key create --website 23                     # prints a new key, once
    designimage key revoke --website 23 --key-id 1a2b3c4d
    designimage sign-url --website 23 --design 1234 [--view front] [--width 300] [--expires-in 3600]
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from shared import signing
from shared.settings import get_settings
from shared.storage import S3Storage
from shared.websites import EXTENSIONS, Website, WebsiteStore

IMAGE_PATH = "/api/4/Design/GetDesignImage"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    storage = S3Storage.from_settings(get_settings())
    storage.ensure_bucket()
    store = WebsiteStore(storage)
    return args.handler(args, store)


def _website_create(args: argparse.Namespace, store: WebsiteStore) -> int:
    if store.load(args.id) is not None and not args.replace:
        print(f"website {args.id} exists (use --replace to start it over)", file=sys.stderr)
        return 1
    website = Website(id=args.id, name=args.name, design_image_media_type=args.media_type,
                      allowed_asset_hosts=args.allow_host or [],
                      rate_limit_per_minute=args.rate_limit_per_minute)
    if args.thumbnails:
        website.thumbnail_sizes = [int(s) for s in args.thumbnails.split(",")]
    key = website.add_key()
    store.save(website)
    print(f"website {website.id} ({website.name}) created")
    print(f"webApiClientKey: {key}")
    print("(shown once; only its hash is stored)")
    return 0


def _website_show(args: argparse.Namespace, store: WebsiteStore) -> int:
    website = _require(store, args.id)
    data = website.model_dump(exclude={"signing_secret"})
    for key in data["keys"]:
        key.pop("key_hash")
    print(json.dumps(data, indent=2))
    return 0


def _key_create(args: argparse.Namespace, store: WebsiteStore) -> int:
    website = _require(store, args.website)
    key = website.add_key()
    store.save(website)
    print(f"webApiClientKey: {key}")
    return 0


def _key_revoke(args: argparse.Namespace, store: WebsiteStore) -> int:
    website = _require(store, args.website)
    if not website.revoke_key(args.key_id):
        print(f"no active key {args.key_id} on website {website.id}", file=sys.stderr)
        return 1
    store.save(website)
    print(f"key {args.key_id} revoked")
    return 0


def _sign_url(args: argparse.Namespace, store: WebsiteStore) -> int:
    website = _require(store, args.website)
    params = {"websiteId": str(website.id), "DesignId": str(args.design)}
    for name, value in (("viewCode", args.view), ("Width", args.width), ("Height", args.height)):
        if value:
            params[name] = str(value)
    query = signing.signed_query(website.signing_secret, IMAGE_PATH, params,
                                 int(time.time()) + args.expires_in)
    print(f"{args.base_url.rstrip('/')}{IMAGE_PATH}?{query}")
    return 0


def _require(store: WebsiteStore, website_id: int) -> Website:
    website = store.load(website_id)
    if website is None:
        raise SystemExit(f"website {website_id} not found")
    return website


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="designimage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(required=True)

    website = sub.add_parser("website").add_subparsers(required=True)
    create = website.add_parser("create")
    create.add_argument("--id", type=int, required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--media-type", default="image/png", choices=sorted(EXTENSIONS))
    create.add_argument("--thumbnails", help="comma-separated longest sides, e.g. 64,128,256")
    create.add_argument("--allow-host", action="append", help="https host images may come from")
    create.add_argument("--rate-limit-per-minute", type=int,
                        help="requests per minute for this website's keys (default: unlimited)")
    create.add_argument("--replace", action="store_true")
    create.set_defaults(handler=_website_create)
    show = website.add_parser("show")
    show.add_argument("--id", type=int, required=True)
    show.set_defaults(handler=_website_show)

    key = sub.add_parser("key").add_subparsers(required=True)
    kcreate = key.add_parser("create")
    kcreate.add_argument("--website", type=int, required=True)
    kcreate.set_defaults(handler=_key_create)
    revoke = key.add_parser("revoke")
    revoke.add_argument("--website", type=int, required=True)
    revoke.add_argument("--key-id", required=True)
    revoke.set_defaults(handler=_key_revoke)

    sign = sub.add_parser("sign-url")
    sign.add_argument("--website", type=int, required=True)
    sign.add_argument("--design", type=int, required=True)
    sign.add_argument("--view")
    sign.add_argument("--width", type=int)
    sign.add_argument("--height", type=int)
    sign.add_argument("--expires-in", type=int, default=3600)
    sign.add_argument("--base-url", default="http://127.0.0.1:8000")
    sign.set_defaults(handler=_sign_url)
    return parser


if __name__ == "__main__":
    sys.exit(main())
