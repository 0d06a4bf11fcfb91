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
    await this.button('Find times').click();
  }

  slots(): Locator {
    return this.root.locator('button.slot');
  }

  /** Answers the demo site's order form about the car. */
  async describeCar() {
    await this.root.getByLabel('Car make').fill('Toyota');
    await this.root.getByLabel('Model').fill('Corolla');
    await this.root.getByLabel('Year of manufacture').fill('2019');
    await this.root.getByLabel('Fuel type').selectOption('Hybrid');
    await this.root.getByLabel('I need a loan car').check();
    await this.button('Next').click();
  }

  /** Fills in who and where, and moves on to the review. */
  async giveContactDetails() {
    await this.root.getByLabel('Full name').fill('Mary Citizen');
    await this.root.getByLabel('Email').fill('mary@example.com');
    await this.root.getByLabel('Phone').fill('0412 345 678');
    await this.root.getByLabel('Street address').fill('1 George Street');
    await this.root.getByLabel('Suburb or city').fill('Sydney');
    await this.button('Review').click();
  }

  async acceptTermsAndBook() {
    await this.root.getByLabel('I accept the terms and conditions').check();
    await this.button('Book now').click();
  }

  fieldError(field: string): Locator {
    return this.root.locator(`#jobslot-${field.replace(/[._]/g, '-')}-error`);
  }

  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }
}
