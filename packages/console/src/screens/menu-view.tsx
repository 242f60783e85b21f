import { useState } from "preact/hooks";
import type { Combo, Menu, MenuItem, Restaurant } from "../api/types.js";
import { type Cart, addToCart, estimate, formatMoney, optionProblems, setQuantity, unitEstimate } from "../cart/cart.js";

/** One item with its option groups (radio for pick-one, checkboxes otherwise) and an Add button. */
function ItemCard({ item, onAdd }: { item: MenuItem; onAdd: (optionIds: string[], optionNames: string[]) => void }) {
  const [chosen, setChosen] = useState<string[]>(() => item.optionGroups.filter((g) => g.min === 1 && g.max === 1).flatMap((g) => g.options.find((o) => o.available)?.id ?? []));
  const problems = optionProblems(item, chosen);
  const unavailable = !item.available || item.soldOut;
  const toggle = (groupId: string, optionId: string, single: boolean) => {
    const group = item.optionGroups.find((g) => g.id === groupId);
    const inGroup = new Set(group?.options.map((o) => o.id));
    setChosen((now) => (single ? [...now.filter((id) => !inGroup.has(id)), optionId] : now.includes(optionId) ? now.filter((id) => id !== optionId) : [...now, optionId]));
  };
  const names = item.optionGroups.flatMap((g) => g.options).filter((o) => chosen.includes(o.id)).map((o) => o.name);
  return (
    <li class={`item ${unavailable ? "unavailable" : ""}`} data-item={item.id}>
      <div class="item-head">
        <strong>{item.name}</strong>
        <span class="price">{formatMoney(item.price)}</span>
      </div>
      {unavailable ? <p class="muted">{item.soldOut ? "Sold out today" : "Unavailable right now"}</p> : null}
      {item.optionGroups.map((group) => {
        const single = group.min === 1 && group.max === 1;
        return (
          <fieldset key={group.id} class="options" disabled={unavailable}>
            <legend>
              {group.name} <span class="muted">{single ? "choose one" : `up to ${group.max}`}</span>
            </legend>
            {group.options.map((option) => (
              <label key={option.id} class={option.available ? "" : "unavailable"}>
                <input
                  type={single ? "radio" : "checkbox"}
                  name={`${item.id}-${group.id}`}
                  checked={chosen.includes(option.id)}
                  disabled={!option.available}
                  onChange={() => toggle(group.id, option.id, single)}
                />
                {option.name}
                {option.priceDelta.amount === 0 ? null : <span class="muted"> +{formatMoney(option.priceDelta)}</span>}
                {option.available ? null : <span class="muted"> (unavailable)</span>}
              </label>
            ))}
          </fieldset>
        );
      })}
      {problems.length > 0 && !unavailable ? <p class="hint">{problems.join("; ")}</p> : null}
      <button type="button" class="secondary" disabled={unavailable || problems.length > 0} onClick={() => onAdd(chosen, names)} aria-label={`Add ${item.name}`}>
        Add
      </button>
    </li>
  );
}

function ComboCard({ combo, menu, onAdd }: { combo: Combo; menu: Menu; onAdd: () => void }) {
  const parts = combo.itemIds.map((id) => menu.categories.flatMap((c) => c.items).find((i) => i.id === id)?.name ?? id);
  const unavailable = !combo.available || combo.soldOut;
  const price = unitEstimate(menu, combo.id, []);
  return (
    <li class={`item combo ${unavailable ? "unavailable" : ""}`} data-item={combo.id}>
      <div class="item-head">
        <strong>{combo.name}</strong>
        <span class="price">{price === null ? "" : formatMoney({ amount: price, currency: menu.currency })}</span>
      </div>
      <p class="muted">{parts.join(" + ")}</p>
      <button type="button" class="secondary" disabled={unavailable} onClick={onAdd} aria-label={`Add ${combo.name}`}>
        Add
      </button>
    </li>
  );
}

/** The composite menu (categories, items with option groups, combos) and the cart beside it. */
export function MenuView(props: { restaurant: Restaurant; menu: Menu; cart: Cart; onCart: (cart: Cart) => void; onPlace: () => Promise<void>; customer: string }) {
  const { restaurant, menu, cart, onCart, onPlace } = props;
  const [placing, setPlacing] = useState(false);
  const total = estimate(cart, menu);
  const place = () => {
    setPlacing(true);
    void onPlace().finally(() => setPlacing(false));
  };
  return (
    <div class="menu">
      <h1 id="menu-heading">{restaurant.name}</h1>
      <p class="muted">
        {restaurant.cuisine} · menu version {menu.version}
      </p>
      {menu.categories.map((category) => (
        <section key={category.id} aria-label={category.name}>
          <h2>{category.name}</h2>
          <ul class="plain items">
            {category.items.map((item) => (
              <ItemCard key={item.id} item={item} onAdd={(ids, names) => onCart(addToCart(cart, { entryId: item.id, name: item.name, optionIds: ids, optionNames: names }))} />
            ))}
          </ul>
        </section>
      ))}
      {menu.combos.length === 0 ? null : (
        <section aria-label="Combos">
          <h2>Combos</h2>
          <ul class="plain items">
            {menu.combos.map((combo) => (
              <ComboCard key={combo.id} combo={combo} menu={menu} onAdd={() => onCart(addToCart(cart, { entryId: combo.id, name: combo.name, optionIds: [], optionNames: [] }))} />
            ))}
          </ul>
        </section>
      )}
      <section class="cart" aria-label="Cart">
        <h2>Cart</h2>
        {cart.lines.length === 0 ? <p class="muted">Nothing yet.</p> : null}
        <ul class="plain">
          {cart.lines.map((line, index) => (
            <li key={`${line.entryId}-${line.optionIds.join()}`} class="cart-line">
              <span>
                {line.name}
                {line.optionNames.length === 0 ? null : <span class="muted"> · {line.optionNames.join(", ")}</span>}
              </span>
              <span class="qty">
                <button type="button" class="ghost" aria-label={`One less ${line.name}`} onClick={() => onCart(setQuantity(cart, index, line.quantity - 1))}>
                  −
                </button>
                <span aria-label="quantity">{line.quantity}</span>
                <button type="button" class="ghost" aria-label={`One more ${line.name}`} onClick={() => onCart(setQuantity(cart, index, line.quantity + 1))}>
                  +
                </button>
              </span>
            </li>
          ))}
        </ul>
        <p class="total">
          Estimate <strong>{formatMoney(total)}</strong>
          <span class="muted"> · the server prices the order when you place it</span>
        </p>
        <button type="button" class="primary" disabled={cart.lines.length === 0 || placing} onClick={place}>
          {placing ? "Placing…" : "Place order"}
        </button>
      </section>
    </div>
  );
}
