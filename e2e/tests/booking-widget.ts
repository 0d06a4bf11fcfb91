import { expect, type Locator, type Page } from '@playwright/test';

/** The booking widget as a customer sees it on the demo site (a page object). */
export class BookingWidget {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('jobslot-booking');
  }

  async open() {
    await this.page.goto('/');
    await expect(this.root.getByRole('heading', { name: 'Book with Acme Car Servicing' })).toBeVisible();
  }

  async search(service: string, postcode: string) {
    await this.root.getByLabel('Service').selectOption(service);
    await this.root.getByLabel('Postcode').fill(postcode);
    await this.root.getByRole('button', { name: 'Find times' }).click();
  }

  slots(): Locator {
    return this.root.locator('button.slot');
  }

  fieldError(field: string): Locator {
    return this.root.locator(`#jobslot-${field.replace(/[._]/g, '-')}-error`);
  }

  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }
}
